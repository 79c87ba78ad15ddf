using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Events;
using MiniPaas.Core.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace MiniPaas.Core.Logs;

/// <summary>
/// Numbers runtime log lines, publishes them live on <see cref="RuntimeLogFeed"/>, and stores them with binary COPY in batches,
/// one writer in seq order (so "the last stored line" is a safe resume point). Never blocks a caller: when the database is
/// slow or down, lines wait in a bounded buffer and what overflows is counted as dropped.
/// </summary>
public sealed partial class RuntimeLogWriter : BackgroundService
{
    private const int MaxBatch = 5_000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly SequenceGenerator _sequence;
    private readonly ConcurrentDictionary<long, RuntimeLogLine> _unsaved = new();
    private readonly ConcurrentDictionary<long, (long ProjectId, long Count)> _overflowByDeployment = new();
    private readonly Channel<Pending> _pending;
    private readonly IDbContextFactory<MiniPaasDbContext> _dbFactory;
    private readonly RuntimeLogFeed _feed;
    private readonly LogsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RuntimeLogWriter> _logger;
    private long _rejected;

    public RuntimeLogWriter(
        IDbContextFactory<MiniPaasDbContext> dbFactory,
        RuntimeLogFeed feed,
        LogSequences sequences,
        IOptions<LogsOptions> options,
        TimeProvider timeProvider,
        ILogger<RuntimeLogWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(options);
        _sequence = sequences.RuntimeLogs;
        _dbFactory = dbFactory;
        _feed = feed;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _pending = Channel.CreateBounded<Pending>(
            new BoundedChannelOptions(_options.BufferCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                _unsaved.TryRemove(dropped.Line.Seq, out _);
                _overflowByDeployment.AddOrUpdate(
                    dropped.Line.DeploymentId,
                    _ => (dropped.Line.ProjectId, 1),
                    (_, current) => (current.ProjectId, current.Count + 1));
            });
    }

    /// <summary>Lines not yet stored, in seq order.</summary>
    public int UnsavedCount => _unsaved.Count;

    /// <summary>Lines dropped because the database refused them for good (their deployment was deleted, a constraint).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Numbers, publishes and queues one line; returns it with its seq. Never blocks.</summary>
    public RuntimeLogLine Write(long projectId, long deploymentId, DateTimeOffset timestamp, string stream, string? level, string text) =>
        Enqueue(new RuntimeLogLine(_sequence.Next(), projectId, deploymentId, timestamp, stream, level, text), dropped: 0);

    /// <summary>Adds a notice line saying <paramref name="dropped"/> lines were left out, and adds them to the deployment's dropped count.</summary>
    public RuntimeLogLine WriteDropped(long projectId, long deploymentId, long dropped, string reason)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"[minipaas] {dropped:N0} lines dropped: {reason}");
        var line = new RuntimeLogLine(_sequence.Next(), projectId, deploymentId, _timeProvider.GetUtcNow(), RuntimeLogLine.NoticeStream, LogLevels.Warn, text);
        return Enqueue(line, dropped);
    }

    /// <summary>Unsaved lines matching <paramref name="predicate"/> (so readers of history see lines still on their way to the table).</summary>
    internal IReadOnlyList<RuntimeLogLine> Unsaved(Func<RuntimeLogLine, bool> predicate) =>
        [.. _unsaved.Values.Where(predicate).OrderBy(l => l.Seq)];

    private RuntimeLogLine Enqueue(RuntimeLogLine line, long dropped)
    {
        _unsaved[line.Seq] = line;
        _pending.Writer.TryWrite(new Pending(line, dropped));
        _feed.Publish(line.DeploymentId, line);
        return line;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = _pending.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // Wait a little so a burst goes out as one COPY.
                await Task.Delay(_options.FlushInterval, _timeProvider, stoppingToken).ConfigureAwait(false);
                bool full;
                do
                {
                    while (batch.Count < MaxBatch && reader.TryRead(out var item))
                    {
                        batch.Add(item);
                    }

                    full = batch.Count == MaxBatch;
                    await SaveWithRetryAsync(batch, stoppingToken).ConfigureAwait(false);

                    // Cleared only once stored: on shutdown, whatever is still in the batch was not saved and is tried once more.
                    batch.Clear();
                }
                while (full);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Last chance to keep what is buffered (and the batch that was being retried) before the process ends.
            while (reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count > 0)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await TrySaveAsync(batch, timeout.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task SaveWithRetryAsync(List<Pending> batch, CancellationToken ct)
    {
        var delay = RetryDelay;
        while (!await TrySaveAsync(batch, ct).ConfigureAwait(false))
        {
            await Task.Delay(delay, _timeProvider, ct).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    // Lines (and overflow counts) PostgreSQL refuses for good (their deployment was deleted, a NUL byte) are dropped and
    // counted so that they cannot hold back every other app's lines; on any other failure, what is still unsaved stays in
    // the batch (and the overflow table) for the retry.
    private async Task<bool> TrySaveAsync(List<Pending> batch, CancellationToken ct)
    {
        var drops = TakeOverflow();
        try
        {
            await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await PoisonBatch.SaveAsync(
                drops, (part, token) => CopyAsync(connection, [], part, token), d => d.DeploymentId, _ => { }, RejectDrops, ct).ConfigureAwait(false);
            await PoisonBatch.SaveAsync(
                batch, (part, token) => CopyAsync(connection, part, [], token), p => p.Line.DeploymentId, RemoveUnsaved, Reject, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or DbUpdateException)
        {
            foreach (var drop in drops)
            {
                AddOverflow(drop.DeploymentId, drop.ProjectId, drop.Count);
            }

            LogSaveFailed(_logger, ex, batch.Count);
            return false;
        }
    }

    private void Reject(IReadOnlyList<Pending> lines, Exception refusal)
    {
        RemoveUnsaved(lines);
        Interlocked.Add(ref _rejected, lines.Count);
        LogRejected(_logger, lines.Count, lines[0].Line.DeploymentId, DatabaseFaults.Describe(refusal));
    }

    private void RejectDrops(IReadOnlyList<DropCount> drops, Exception refusal) =>
        LogRejected(_logger, 0, drops[0].DeploymentId, DatabaseFaults.Describe(refusal));

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<Pending> batch, IReadOnlyList<DropCount> drops, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (batch.Count > 0)
        {
            await using var importer = await connection.BeginBinaryImportAsync(
                "COPY runtime_logs (seq, project_id, deployment_id, timestamp, stream, level, line) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
            foreach (var item in batch)
            {
                var line = item.Line;
                await importer.StartRowAsync(ct).ConfigureAwait(false);
                await importer.WriteAsync(line.Seq, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await importer.WriteAsync(line.ProjectId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await importer.WriteAsync(line.DeploymentId, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                await importer.WriteAsync(line.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
                await importer.WriteAsync(line.Stream, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                if (line.Level is null)
                {
                    await importer.WriteNullAsync(ct).ConfigureAwait(false);
                }
                else
                {
                    await importer.WriteAsync(line.Level, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                }

                await importer.WriteAsync(line.Text, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            }

            await importer.CompleteAsync(ct).ConfigureAwait(false);
        }

        var counts = drops.Concat(batch.Where(p => p.Dropped > 0).Select(p => new DropCount(p.Line.DeploymentId, p.Line.ProjectId, p.Dropped)))
            .GroupBy(d => d.DeploymentId)
            .Select(g => new DropCount(g.Key, g.First().ProjectId, g.Sum(d => d.Count)));
        foreach (var drop in counts)
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO runtime_log_drops (deployment_id, project_id, dropped, updated_at) VALUES (@deployment, @project, @count, now())
                ON CONFLICT (deployment_id) DO UPDATE SET dropped = runtime_log_drops.dropped + excluded.dropped, updated_at = excluded.updated_at
                """,
                connection,
                transaction);
            command.Parameters.AddWithValue("deployment", drop.DeploymentId);
            command.Parameters.AddWithValue("project", drop.ProjectId);
            command.Parameters.AddWithValue("count", drop.Count);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    private void RemoveUnsaved(IEnumerable<Pending> saved)
    {
        foreach (var item in saved)
        {
            _unsaved.TryRemove(item.Line.Seq, out _);
        }
    }

    private List<DropCount> TakeOverflow()
    {
        var taken = new List<DropCount>();
        foreach (var key in _overflowByDeployment.Keys)
        {
            if (_overflowByDeployment.TryRemove(key, out var value))
            {
                taken.Add(new DropCount(key, value.ProjectId, value.Count));
            }
        }

        return taken;
    }

    private void AddOverflow(long deploymentId, long projectId, long count) =>
        _overflowByDeployment.AddOrUpdate(deploymentId, _ => (projectId, count), (_, current) => (current.ProjectId, current.Count + count));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store {Count} runtime log lines; will retry")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped {Count} runtime log lines of deployment {DeploymentId}: the database refused them ({Reason})")]
    private static partial void LogRejected(ILogger logger, int count, long deploymentId, string reason);

    private readonly record struct Pending(RuntimeLogLine Line, long Dropped);

    private readonly record struct DropCount(long DeploymentId, long ProjectId, long Count);
}
