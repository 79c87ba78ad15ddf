using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Analytics;

/// <summary>
/// Drains <see cref="RequestCapture"/> into PostgreSQL in batches (<c>BatchSize</c> rows or <c>FlushInterval</c>, whichever
/// comes first). A batch that fails is kept and retried with backoff until it is stored — meanwhile new requests wait in
/// the capture buffer, and only what overflows that buffer is lost (and counted there). Rows the database refuses for good
/// are split out and dropped (<see cref="PoisonBatch"/>, counted in <see cref="Rejected"/>).
/// </summary>
public sealed partial class RequestIngestor(
    RequestCapture capture,
    RequestEventWriter writer,
    RequestActivityFeed feed,
    VisitorIds visitors,
    LogSequences sequences,
    AnalyticsDatabase database,
    IOptions<AnalyticsOptions> options,
    TimeProvider time,
    ILogger<RequestIngestor> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    // Once a batch has begun, the buffer is looked at on a timer rather than awaited item by item: a reader waiting on the
    // channel is woken (a thread-pool hop, often a parked thread woken) by every request the proxy captures, which at a few
    // thousand requests/s cost the proxy more CPU per request than capturing it. Ten looks per flush interval (at most
    // 100 ms apart) keep batches as fresh; a buffer of BufferCapacity requests absorbs what arrives between two looks.
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromMilliseconds(100);
    private long _written;
    private long _failedAttempts;
    private long _rejected;
    private string? _lastError;

    /// <summary>Requests stored since start-up.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Requests dropped because the database refused them for good, since start-up.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Write attempts that failed (each is retried) since start-up.</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>The last write error while it is unresolved; null once a batch went through again.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Sequence numbers are seeded from the table at start-up: take none before that.
        try
        {
            await database.GetConnectionStringAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNoDatabase(ex);
            return;
        }

        var settings = options.Value;
        var batch = new List<RequestRow>(settings.BatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await FillAsync(batch, settings, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            await StoreAsync(batch, settings, stoppingToken).ConfigureAwait(false);
            batch.Clear();
        }

        if (batch.Count + capture.Pending > 0)
        {
            LogUnsavedAtShutdown(batch.Count + capture.Pending);
        }
    }

    private async Task FillAsync(List<RequestRow> batch, AnalyticsOptions settings, CancellationToken ct)
    {
        var reader = capture.Reader;
        var first = await reader.ReadAsync(ct).ConfigureAwait(false);
        batch.Add(Prepare(first, settings));
        var started = time.GetTimestamp();
        var poll = TimeSpan.FromTicks(Math.Clamp(settings.FlushInterval.Ticks / 10, TimeSpan.TicksPerMillisecond, MaxPollInterval.Ticks));
        while (true)
        {
            while (batch.Count < settings.BatchSize && reader.TryRead(out var request))
            {
                batch.Add(Prepare(request, settings));
            }

            var left = settings.FlushInterval - time.GetElapsedTime(started);
            if (batch.Count >= settings.BatchSize || left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(left < poll ? left : poll, time, ct).ConfigureAwait(false);
        }
    }

    private RequestRow Prepare(ProxiedRequest request, AnalyticsOptions settings) =>
        RequestRow.From(request, sequences.Analytics.Next(), visitors, settings);

    private async Task StoreAsync(List<RequestRow> batch, AnalyticsOptions settings, CancellationToken ct)
    {
        var delay = settings.RetryDelay;
        var isRetry = false;
        while (true)
        {
            try
            {
                var count = batch.Count;
                var checkStored = isRetry;
                await PoisonBatch.SaveAsync(batch, (part, token) => WriteAsync(part, settings, checkStored, token), r => r.ProjectId, Stored, Reject, ct)
                    .ConfigureAwait(false);
                Volatile.Write(ref _lastError, null);
                if (isRetry)
                {
                    LogRecovered(count);
                }

                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                LogUnsavedAtShutdown(batch.Count);
                batch.Clear();
                return;
            }
#pragma warning disable CA1031 // Any failure (database down, network, disk full) is retried; the loop must survive it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _failedAttempts);
                Volatile.Write(ref _lastError, ex.Message);
                LogWriteFailed(batch.Count, delay, ex.Message);
                isRetry = true;
            }

            try
            {
                await Task.Delay(delay, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                LogUnsavedAtShutdown(batch.Count);
                batch.Clear();
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    // Each part is one transaction: when its first row is stored, all of it is.
    private async Task WriteAsync(IReadOnlyList<RequestRow> rows, AnalyticsOptions settings, bool checkStored, CancellationToken ct)
    {
        // After a failure the commit may have happened without us hearing back: never store rows twice.
        if (checkStored && await writer.IsStoredAsync(rows[0], ct).ConfigureAwait(false))
        {
            return;
        }

        foreach (var rollup in await writer.WriteAsync(rows, settings.CopyThreshold, ct).ConfigureAwait(false))
        {
            feed.Publish(rollup.ProjectId, rollup);
        }
    }

    private void Stored(IReadOnlyList<RequestRow> rows) => Interlocked.Add(ref _written, rows.Count);

    // Rows PostgreSQL refuses for good (a value it cannot store) are dropped so that they cannot hold back every later request.
    private void Reject(IReadOnlyList<RequestRow> rows, Exception refusal)
    {
        Interlocked.Add(ref _rejected, rows.Count);
        LogRejected(rows.Count, DatabaseFaults.Describe(refusal));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} requests: the database refused them ({Reason})")]
    private partial void LogRejected(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing {Count} requests failed; retrying in {Delay}: {Error}")]
    private partial void LogWriteFailed(int count, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request analytics storage recovered; stored the pending batch of {Count}")]
    private partial void LogRecovered(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {Count} captured requests not stored")]
    private partial void LogUnsavedAtShutdown(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request analytics is off: the database never became ready")]
    private partial void LogNoDatabase(Exception exception);
}
