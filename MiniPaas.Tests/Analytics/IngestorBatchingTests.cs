using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniPaas.Core.Analytics;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Analytics;

/// <summary>
/// The ingestor looks at the capture buffer on a timer once a batch has begun (it is not woken by each request): requests
/// that arrive while a batch is open still go into that batch, which is written when the flush interval has passed, or
/// as soon as it holds BatchSize rows. Real PostgreSQL, fake time.
/// </summary>
public sealed class IngestorBatchingTests : IAsyncLifetime
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private AnalyticsDatabase _database = null!;

    public async Task InitializeAsync()
    {
        var fixture = await PostgresFixture.GetAsync();
        var factory = (FixedDbContextFactory)await fixture.CreateMigratedContextFactoryAsync(nameof(IngestorBatchingTests));
        _database = AnalyticsDatabase.Fixed(factory.ConnectionString);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Ingest_RequestsArrivingWhileBatchOpen_WrittenTogetherOnlyWhenFlushIntervalPassed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (capture, ingestor) = Create(time, batchSize: 1_000);
        await ingestor.StartAsync(CancellationToken.None);
        try
        {
            Send(capture, 1, time);
            await WaitUntilAsync(() => capture.Pending == 0); // The batch has begun with the first request.
            Send(capture, 9, time);

            // Half the flush interval, in the ingestor's polling steps: the later nine are taken from the buffer, nothing written.
            for (var step = 0; step < 5; step++)
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
                await Task.Delay(50);
            }

            await WaitUntilAsync(() => capture.Pending == 0);
            Assert.Equal(0, ingestor.Written);

            var seen = new HashSet<long>();
            await WaitUntilAsync(() =>
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
                seen.Add(ingestor.Written);
                return ingestor.Written == 10;
            });
            Assert.DoesNotContain(1L, seen); // One batch of ten, not the first request on its own.
            Assert.Equal(0, ingestor.FailedAttempts);
        }
        finally
        {
            await ingestor.StopAsync(CancellationToken.None);
            ingestor.Dispose();
        }
    }

    [Fact]
    public async Task Ingest_BatchSizeReached_WrittenWithoutWaitingForFlushInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (capture, ingestor) = Create(time, batchSize: 20);
        await ingestor.StartAsync(CancellationToken.None);
        try
        {
            Send(capture, 1, time);
            await WaitUntilAsync(() => capture.Pending == 0);
            Send(capture, 19, time);

            // At most half the flush interval in polling steps: the ingestor takes the other nineteen, so the batch is full.
            for (var step = 0; step < 5 && capture.Pending > 0; step++)
            {
                await Task.Delay(300);
                time.Advance(TimeSpan.FromMilliseconds(100));
            }

            // Written with no more time passing: the full batch did not wait for the flush interval.
            await WaitUntilAsync(() => ingestor.Written == 20);
            Assert.True(time.GetUtcNow() - time.Start < FlushInterval);
        }
        finally
        {
            await ingestor.StopAsync(CancellationToken.None);
            ingestor.Dispose();
        }
    }

    [Fact]
    public async Task Ingest_RowTheDatabaseRefuses_OnlyThatRowDroppedAndLaterRequestsStored()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (capture, ingestor) = Create(time, batchSize: 10);
        await ingestor.StartAsync(CancellationToken.None);
        try
        {
            Send(capture, 4, time);
            // PostgreSQL cannot store a NUL byte in text: retried as it was, this batch would block analytics for good.
            capture.OnRequestCompleted(new ProxiedRequest(1, 1, "app", "GET", "/nul\0byte", 200, 1.5, 10, "test", "10.0.0.1", time.GetUtcNow()));
            Send(capture, 5, time);
            await WaitUntilAsync(() =>
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
                return ingestor.Written + ingestor.Rejected == 10;
            });
            Send(capture, 3, time);
            await WaitUntilAsync(() =>
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
                return ingestor.Written == 12;
            });

            Assert.Equal(1, ingestor.Rejected);
            Assert.Equal(0, ingestor.FailedAttempts);
        }
        finally
        {
            await ingestor.StopAsync(CancellationToken.None);
            ingestor.Dispose();
        }
    }

    private (RequestCapture Capture, RequestIngestor Ingestor) Create(FakeTimeProvider time, int batchSize)
    {
        var options = Options.Create(new AnalyticsOptions { BufferCapacity = 1_000, BatchSize = batchSize, FlushInterval = FlushInterval });
        var capture = new RequestCapture(options);
        var ingestor = new RequestIngestor(capture, new RequestEventWriter(_database), new RequestActivityFeed(),
            new VisitorIds(time), new LogSequences(), _database, options, time, NullLogger<RequestIngestor>.Instance);
        return (capture, ingestor);
    }

    private static void Send(RequestCapture capture, int count, TimeProvider time)
    {
        for (var i = 0; i < count; i++)
        {
            capture.OnRequestCompleted(new ProxiedRequest(1, 1, "app", "GET", $"/b/{Guid.NewGuid():N}", 200, 1.5, 10, "test", "10.0.0.1", time.GetUtcNow()));
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50);
        }
    }
}
