using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Analytics;

/// <summary>Where analytics reads and writes: the connection string once the database is ready (tests give a fixed one).</summary>
public sealed class AnalyticsDatabase(Func<CancellationToken, Task<string>> connectionString)
{
    /// <summary>The app's database, available once start-up resolved and migrated it.</summary>
    public AnalyticsDatabase(DatabaseConnection connection)
        : this(async ct => (await connection.WhenReadyAsync(ct).ConfigureAwait(false)).ConnectionString)
    {
    }

    /// <summary>A database known up front.</summary>
    public static AnalyticsDatabase Fixed(string connectionString) => new(_ => Task.FromResult(connectionString));

    public Task<string> GetConnectionStringAsync(CancellationToken ct) => connectionString(ct);
}
