using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Events;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Logs;

/// <summary>
/// Takes build log lines: numbers them, publishes them live, and writes them to PostgreSQL in batches off the caller's path.
/// If the database is down, lines wait in a bounded buffer; what overflows is counted, never silently lost.
/// </summary>
public sealed partial class BuildLogRecorder : BackgroundService
{
    private const int BufferCapacity = 100_000;
    private const int MaxBatch = 2_000;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly SequenceGenerator _sequence;

    // Lines not yet in the database, so readers of history see them too (no gap between history and live).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, BuildLogLine> _unsaved = new();
    private readonly Channel<BuildLogLine> _pending;
    private readonly IDbContextFactory<MiniPaasDbContext> _dbFactory;
    private readonly BuildLogFeed _feed;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BuildLogRecorder> _logger;
    private readonly SecretMaskerCache _maskers;
    private long _overflowed;
    private long _rejected;

    public BuildLogRecorder(
        IDbContextFactory<MiniPaasDbContext> dbFactory,
        BuildLogFeed feed,
        LogSequences sequences,
        SecretMaskerCache maskers,
        TimeProvider timeProvider,
        ILogger<BuildLogRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        _sequence = sequences.BuildLogs;
        _dbFactory = dbFactory;
        _feed = feed;
        _maskers = maskers;
        _timeProvider = timeProvider;
        _logger = logger;
        _pending = Channel.CreateBounded<BuildLogLine>(
            new BoundedChannelOptions(BufferCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                _unsaved.TryRemove(dropped.Seq, out _);
                Interlocked.Increment(ref _overflowed);
            });
    }

    /// <summary>Lines that could not be kept for the database because the buffer overflowed.</summary>
    public long Overflowed => Interlocked.Read(ref _overflowed);

    /// <summary>Lines dropped because the database refused them for good (their deployment was deleted, a constraint).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Records a line of <paramref name="deploymentId"/>'s build log, its secrets masked (<see cref="MaskSecretsAsync"/>). Never blocks.</summary>
    public BuildLogLine Write(long deploymentId, string text, bool isError = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = new BuildLogLine(_sequence.Next(), deploymentId, _timeProvider.GetUtcNow(), Mask(deploymentId, text), isError);
        _unsaved[line.Seq] = line;
        _pending.Writer.TryWrite(line);
        _feed.Publish(deploymentId, line);
        return line;
    }

    /// <summary>
    /// Masks the project's secret values (<see cref="SecretMaskerCache"/>, shared with the runtime log) in every later line of
    /// the deployment's build log: build steps can print variables (build arguments, a failing app's crash output), and
    /// nothing secret may be stored or shown. Call again to take in values set since.
    /// </summary>
    public async Task MaskSecretsAsync(long projectId, long deploymentId, CancellationToken ct = default) =>
        await _maskers.GetAsync(projectId, deploymentId, ct).ConfigureAwait(false);

    /// <summary>Stops masking for a deployment that ended without a container (keeps the table of maskers small).</summary>
    public void ForgetSecrets(long deploymentId) => _maskers.Forget(deploymentId);

    /// <summary><paramref name="text"/> with the deployment's secret values masked (also for texts stored elsewhere, e.g. a failure reason).</summary>
    public string Mask(long deploymentId, string text) => _maskers.Current(deploymentId).Apply(text);

    /// <summary>An <see cref="IProgress{T}"/> that records each reported line synchronously, in order.</summary>
    public IProgress<string> For(long deploymentId, bool isError = false) => new LineSink(this, deploymentId, isError);

    /// <summary>Stored lines of a deployment, oldest first.</summary>
    public async Task<IReadOnlyList<BuildLogLine>> ReadAsync(long deploymentId, CancellationToken ct = default)
    {
        // Unsaved lines first, then the table: a line saved in between is found in the table, so none falls in a gap.
        var unsaved = _unsaved.Values.Where(l => l.DeploymentId == deploymentId).ToList();
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var stored = await db.BuildLogs.AsNoTracking()
            .Where(l => l.DeploymentId == deploymentId)
            .OrderBy(l => l.Seq)
            .Select(l => new BuildLogLine(l.Seq, l.DeploymentId, l.Timestamp, l.Line, l.IsError))
            .ToListAsync(ct).ConfigureAwait(false);
        return [.. stored.Concat(unsaved).DistinctBy(l => l.Seq).OrderBy(l => l.Seq)];
    }

    /// <summary>Live lines of a deployment after its stored history, without gap or duplicate.</summary>
    public IAsyncEnumerable<FeedBatch<BuildLogLine>> WatchAsync(long deploymentId, CancellationToken ct = default) =>
        _feed.WatchWithHistoryAsync(deploymentId, token => ReadAsync(deploymentId, token), ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<BuildLogLine>(MaxBatch);
        var reader = _pending.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // Wait a little so a burst of lines goes out as one batch.
                await Task.Delay(FlushInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
                while (batch.Count < MaxBatch && reader.TryRead(out var line))
                {
                    batch.Add(line);
                }

                await SaveWithRetryAsync(batch, stoppingToken).ConfigureAwait(false);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Last chance to keep what is buffered before the process ends.
            while (reader.TryRead(out var line))
            {
                batch.Add(line);
            }

            if (batch.Count > 0)
            {
                await TrySaveAsync(batch, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task SaveWithRetryAsync(List<BuildLogLine> batch, CancellationToken ct)
    {
        var delay = RetryDelay;
        while (!await TrySaveAsync(batch, ct).ConfigureAwait(false))
        {
            await Task.Delay(delay, _timeProvider, ct).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    // Lines PostgreSQL refuses for good (their deployment was deleted, a NUL byte) are dropped and counted so that they cannot
    // hold back every other build's lines; on any other failure, what is still unsaved stays in the batch for the retry.
    private async Task<bool> TrySaveAsync(List<BuildLogLine> batch, CancellationToken ct)
    {
        try
        {
            await PoisonBatch.SaveAsync(batch, InsertAsync, l => l.DeploymentId, MarkSaved, Reject, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is DbUpdateException or Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogSaveFailed(_logger, ex, batch.Count);
            return false;
        }
    }

    private async Task InsertAsync(IReadOnlyList<BuildLogLine> lines, CancellationToken ct)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        db.BuildLogs.AddRange(lines.Select(l => new BuildLogRecord
        {
            Seq = l.Seq,
            DeploymentId = l.DeploymentId,
            Timestamp = l.Timestamp,
            Line = l.Text,
            IsError = l.IsError,
        }));
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    private void MarkSaved(IReadOnlyList<BuildLogLine> lines)
    {
        foreach (var line in lines)
        {
            _unsaved.TryRemove(line.Seq, out _);
        }
    }

    private void Reject(IReadOnlyList<BuildLogLine> lines, Exception refusal)
    {
        MarkSaved(lines);
        Interlocked.Add(ref _rejected, lines.Count);
        LogRejected(_logger, lines.Count, lines[0].DeploymentId, DatabaseFaults.Describe(refusal));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store {Count} build log lines; will retry")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} build log lines of deployment {DeploymentId}: the database refused them ({Reason})")]
    private static partial void LogRejected(ILogger logger, int count, long deploymentId, string reason);

    private sealed class LineSink(BuildLogRecorder recorder, long deploymentId, bool isError) : IProgress<string>
    {
        public void Report(string value) => recorder.Write(deploymentId, value, isError);
    }
}
