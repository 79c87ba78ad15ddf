namespace MiniPaas.Core.Persistence;

/// <summary>Which of the ways of finding PostgreSQL won at start-up.</summary>
public enum DatabaseSource
{
    /// <summary>A connection string given in <c>MiniPaas:Database:ConnectionString</c>.</summary>
    Configured,

    /// <summary>A private cluster MiniPaas created and runs from the local PostgreSQL server binaries.</summary>
    PrivateCluster,

    /// <summary>A PostgreSQL container MiniPaas created through the Docker engine.</summary>
    Container,
}

/// <summary>The database in use, described without secrets (no password).</summary>
public sealed record DatabaseDescription(DatabaseSource Source, string Host, int Port, string Database, string Detail);

/// <summary>What the dashboard and <c>/readyz</c> know about the database.</summary>
public interface IDatabaseInfo
{
    /// <summary>The database chosen at start-up; null until resolution finished.</summary>
    DatabaseDescription? Current { get; }

    /// <summary>Opens a connection and runs a trivial query.</summary>
    Task<bool> IsReachableAsync(CancellationToken ct = default);
}
