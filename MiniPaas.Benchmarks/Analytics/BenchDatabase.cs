using Microsoft.Extensions.Logging.Abstractions;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Persistence.Resolution;
using Npgsql;

namespace MiniPaas.Benchmarks.Analytics;

/// <summary>A private, throwaway PostgreSQL cluster (non-durable, like the tests') with one migrated database per benchmark.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly PrivateCluster _cluster;
    private readonly string _directory;

    private BenchDatabase(PrivateCluster cluster, string directory)
    {
        _cluster = cluster;
        _directory = directory;
    }

    public static async Task<BenchDatabase> StartAsync(CancellationToken ct)
    {
        var bin = PostgresServerBinaries.Find(PostgresServerBinaries.CandidateDirectories(null))
            ?? throw new InvalidOperationException("The analytics benchmarks need the PostgreSQL server binaries (apt-get install postgresql).");
        var directory = Path.Combine(Path.GetTempPath(), "minipaas-bench-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var cluster = new PrivateCluster(directory, bin, ClusterLocation.IsRoot, NullLogger.Instance, durable: false);
        await cluster.StartAsync(ct);
        return new BenchDatabase(cluster, directory);
    }

    /// <summary>A fresh database with the MiniPaas schema; returns its connection string.</summary>
    public async Task<string> CreateAsync(string name, CancellationToken ct)
    {
        await _cluster.CreateDatabaseIfMissingAsync(name, ct);
        var connectionString = new NpgsqlConnectionStringBuilder(_cluster.ConnectionString(name)) { CommandTimeout = 600 }.ConnectionString;
        await DatabaseStartup.MigrateAndSeedAsync(connectionString, new LogSequences(), NullLogger.Instance, ct);
        return connectionString;
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A server file still closing; the folder is in the temp directory.
        }
    }
}
