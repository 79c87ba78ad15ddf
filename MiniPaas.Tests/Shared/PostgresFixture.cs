using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Persistence.Resolution;
using Npgsql;

// "Shared" is a Visual Basic keyword; nobody consumes this test namespace from VB.
[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Scope = "namespace", Target = "~N:MiniPaas.Tests.Shared")]

namespace MiniPaas.Tests.Shared;

/// <summary>
/// One PostgreSQL for the whole test run: <c>MINIPAAS_TEST_PG</c> (a connection string with rights to create databases) when set,
/// else a private cluster started from the local server binaries in <c>/tmp/minipaas-test-pg-&lt;pid&gt;</c>, stopped and deleted
/// when the test process exits. Each test class takes a fresh database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresFixture
{
    private static readonly Lazy<Task<PostgresFixture>> Shared = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private PostgresFixture(string adminConnectionString) => AdminConnectionString = adminConnectionString;

    /// <summary>Connection string to the maintenance database (<c>postgres</c>).</summary>
    public string AdminConnectionString { get; }

    /// <summary>The shared instance, started on first use; fails with a clear message when no PostgreSQL can be had.</summary>
    public static Task<PostgresFixture> GetAsync() => Shared.Value;

    /// <summary>Creates an empty database named after <paramref name="name"/> plus a unique suffix; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        var safe = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var database = $"{safe[..Math.Min(safe.Length, 40)]}_{Guid.NewGuid().ToString("N")[..12]}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
        await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>A fresh database with the migrations applied, and a factory of contexts on it.</summary>
    public async Task<IDbContextFactory<MiniPaasDbContext>> CreateMigratedContextFactoryAsync(string name)
    {
        var connectionString = await CreateDatabaseAsync(name);
        await DatabaseStartup.MigrateAndSeedAsync(connectionString, new LogSequences(), NullLogger.Instance, CancellationToken.None);
        return new FixedDbContextFactory(connectionString);
    }

    private static async Task<PostgresFixture> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("MINIPAAS_TEST_PG") is { Length: > 0 } given)
        {
            return new PostgresFixture(new NpgsqlConnectionStringBuilder(given) { Database = "postgres" }.ConnectionString);
        }

        var binDirectory = PostgresServerBinaries.Find(PostgresServerBinaries.CandidateDirectories(null))
            ?? throw new InvalidOperationException(
                "Persistence tests need PostgreSQL: set MINIPAAS_TEST_PG to a connection string, or install the server binaries (apt-get install postgresql).");
        RemoveClustersOfEndedRuns();
        var directory = Path.Combine(Path.GetTempPath(), $"minipaas-test-pg-{Environment.ProcessId}");
        var cluster = new PrivateCluster(directory, binDirectory, ClusterLocation.IsRoot, NullLogger.Instance, durable: false);
        await cluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.StopAsync().GetAwaiter().GetResult();
            Directory.Delete(directory, recursive: true);
        };
        return new PostgresFixture(cluster.ConnectionString("postgres"));
    }

    // The exit handler stops the cluster but the test host may end before the folder is deleted; clean up after earlier runs.
    private static void RemoveClustersOfEndedRuns()
    {
        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), "minipaas-test-pg-*"))
        {
            var isEnded = int.TryParse(Path.GetFileName(directory)["minipaas-test-pg-".Length..], out var pid)
                && !Directory.Exists($"/proc/{pid}")
                && !File.Exists(Path.Combine(directory, "data", "postmaster.pid"));
            if (isEnded)
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (IOException)
                {
                    // Another test run is cleaning it up at the same time.
                }
            }
        }
    }
}

/// <summary>Contexts on one known connection string (tests bypass start-up resolution).</summary>
public sealed class FixedDbContextFactory(string connectionString) : IDbContextFactory<MiniPaasDbContext>
{
    private readonly DbContextOptions<MiniPaasDbContext> _options = MiniPaasDbContext.CreateOptions(connectionString);

    public string ConnectionString { get; } = connectionString;

    public MiniPaasDbContext CreateDbContext() => new(_options);
}
