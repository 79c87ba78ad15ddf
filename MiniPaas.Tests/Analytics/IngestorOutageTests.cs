using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Analytics;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Persistence.Resolution;
using Npgsql;

namespace MiniPaas.Tests.Analytics;

/// <summary>
/// The ingestor against a throwaway PostgreSQL cluster of its own (the shared test cluster is never stopped): the server
/// is stopped and started again while requests keep coming.
/// </summary>
public sealed class IngestorOutageTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "minipaas-outage-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private PrivateCluster? _cluster;

    public async Task InitializeAsync()
    {
        var bin = PostgresServerBinaries.Find(PostgresServerBinaries.CandidateDirectories(null))
            ?? throw new InvalidOperationException("This test needs the PostgreSQL server binaries (apt-get install postgresql).");
        _cluster = new PrivateCluster(_directory, bin, ClusterLocation.IsRoot, NullLogger.Instance, durable: false);
        await _cluster.StartAsync();
        await DatabaseStartup.MigrateAndSeedAsync(_cluster.ConnectionString(), new LogSequences(), NullLogger.Instance, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A server file still closing; the folder is in /tmp.
        }
    }

    [Fact]
    public async Task Ingest_DatabaseStoppedAndStartedMidStream_OverflowCountedAndNothingElseLost()
    {
        var options = Options.Create(new AnalyticsOptions
        {
            BufferCapacity = 500,
            BatchSize = 100,
            FlushInterval = TimeSpan.FromMilliseconds(50),
            RetryDelay = TimeSpan.FromMilliseconds(200),
        });
        var database = AnalyticsDatabase.Fixed(_cluster!.ConnectionString());
        var capture = new RequestCapture(options);
        using var ingestor = new RequestIngestor(capture, new RequestEventWriter(database), new RequestActivityFeed(),
            new VisitorIds(TimeProvider.System), new LogSequences(), database, options, TimeProvider.System, NullLogger<RequestIngestor>.Instance);
        await ingestor.StartAsync(CancellationToken.None);

        var sent = 0;
        void Send(int count)
        {
            for (var i = 0; i < count; i++, sent++)
            {
                capture.OnRequestCompleted(new ProxiedRequest(1, 1, "app", "GET", $"/r/{sent}", 200, 1.5, 10, "test", "10.0.0.1", DateTimeOffset.UtcNow));
            }
        }

        Send(300);
        await WaitUntilAsync(() => ingestor.Written == 300);

        await _cluster.StopAsync();
        // Mid-stream: more than the buffer holds arrives while the database is down.
        for (var i = 0; i < 20; i++)
        {
            Send(50);
            await Task.Delay(20);
        }

        await WaitUntilAsync(() => ingestor.FailedAttempts > 0);
        Assert.True(capture.Overflowed > 0, "the buffer should have overflowed while PostgreSQL was down");
        await _cluster.StartAsync();
        Send(200);

        await WaitUntilAsync(() => ingestor.Written + capture.Overflowed == sent);
        await ingestor.StopAsync(CancellationToken.None);

        Assert.Null(ingestor.LastError);
        Assert.Equal(sent - capture.Overflowed, capture.Captured);
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*), count(DISTINCT seq), count(DISTINCT path), (SELECT sum(requests) FROM request_rollups) FROM request_events", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var stored = capture.Captured;
        Assert.Equal(stored, reader.GetInt64(0));
        Assert.Equal(stored, reader.GetInt64(1));
        Assert.Equal(stored, reader.GetInt64(2));
        Assert.Equal(stored, reader.GetInt64(3));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50);
        }
    }
}
