using Npgsql;

namespace MiniPaas.Core.Persistence;

/// <summary>
/// The one place that tells what a PostgreSQL failure means: the database is unreachable (wait and retry; the API answers
/// 503), or a statement was refused for a reason that will not heal by retrying it (a constraint or data error: a writer
/// must drop or split the batch instead). Everything else is neither, and callers keep their own handling.
/// </summary>
public static class DatabaseFaults
{
    /// <summary>How long clients are asked to wait (<c>Retry-After</c>) while the database is unreachable.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <paramref name="exception"/> (or one of its causes) says PostgreSQL cannot be reached now: refused or broken connection,
    /// server shutting down or starting, too many connections, pool timeout (all as Npgsql reports them), or a
    /// <see cref="DatabaseUnavailableException"/>.
    /// </summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DatabaseUnavailableException:
                    return true;
                case PostgresException postgres:
                    return IsUnavailableState(postgres.SqlState);
                // Socket, I/O and timeout errors count only inside Npgsql's (IsTransient): on their own they may be GitHub's or the engine's.
                case NpgsqlException { IsTransient: true }:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <paramref name="exception"/> (or one of its causes) is PostgreSQL refusing the data itself: an integrity constraint
    /// (class 23: a foreign key to a deleted row, a duplicate key, a check) or a data exception (class 22: a NUL byte, a value
    /// out of range). Retrying the same rows fails the same way.
    /// </summary>
    public static bool IsPermanent(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres)
            {
                return postgres.SqlState.StartsWith("23", StringComparison.Ordinal) || postgres.SqlState.StartsWith("22", StringComparison.Ordinal);
            }
        }

        return false;
    }

    /// <summary>A foreign-key violation: the rows name a deployment or project that was deleted (every such row fails alike).</summary>
    public static bool IsMissingReference(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres)
            {
                return postgres.SqlState == PostgresErrorCodes.ForeignKeyViolation;
            }
        }

        return false;
    }

    /// <summary>
    /// A short reason for logs: PostgreSQL's message (never its detail, which may quote the refused row's values), else the
    /// exception's type.
    /// </summary>
    public static string Describe(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres)
            {
                return $"{postgres.SqlState}: {postgres.MessageText}";
            }
        }

        // Npgsql's own messages name the address at most ("Failed to connect to 127.0.0.1:5432"), never credentials.
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException npgsql)
            {
                return npgsql.Message;
            }
        }

        return exception?.GetType().Name ?? "unknown";
    }

    /// <summary>
    /// <paramref name="exception"/> as a <see cref="DatabaseUnavailableException"/> when <see cref="IsUnavailable"/>; otherwise
    /// null. The message is for people: no connection string, no server detail beyond what Npgsql says.
    /// </summary>
    public static DatabaseUnavailableException? AsUnavailable(Exception? exception) => exception switch
    {
        DatabaseUnavailableException unavailable => unavailable,
        _ when IsUnavailable(exception) => new DatabaseUnavailableException(
            "The database is unavailable; MiniPaas retries on its own. Try again in a few seconds.", exception!),
        _ => null,
    };

    // 08: connection exception; 57P01-57P03: admin/crash shutdown, cannot connect now (starting up); 53300: too many connections.
    private static bool IsUnavailableState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections;
}
