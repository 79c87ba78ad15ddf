namespace MiniPaas.Core.Persistence;

/// <summary>
/// No usable PostgreSQL: the configured one cannot be reached, or none of the embedded ways (private cluster, container) works.
/// The message is meant for the person starting MiniPaas: one paragraph, no secrets, saying what to do.
/// </summary>
public sealed class DatabaseUnavailableException : Exception
{
    public DatabaseUnavailableException()
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The three ways to give MiniPaas a database, appended to every "nothing found" message.</summary>
    internal const string Remedies =
        "Give MiniPaas a database in one of three ways: set MiniPaas__Database__ConnectionString to a PostgreSQL connection string; "
        + "or install the PostgreSQL server binaries (e.g. `apt-get install postgresql`, or set MiniPaas__Database__ServerBinDirectory to the folder holding initdb and pg_ctl) so MiniPaas runs a private cluster; "
        + "or run a Docker engine (MiniPaas__Docker__Endpoint) that has the image named by MiniPaas__Database__ContainerImage.";
}
