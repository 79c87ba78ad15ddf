using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MiniPaas.Core.Logs;

/// <summary>
/// Reads one container's output into the runtime log: resumes where reading stopped (kept per container in memory, else the
/// last stored line), reconnects with backoff while the container lives, and shapes each line (mask, cut, level) before it is
/// rate-limited, numbered and stored.
/// </summary>
public sealed partial class ContainerLogIngestor(
    IContainerLogSource source,
    RuntimeLogQuery query,
    RuntimeLogWriter writer,
    SecretMaskerCache maskers,
    IngestionRateLimiter rateLimiter,
    IOptions<LogsOptions> options,
    TimeProvider timeProvider,
    ILogger<ContainerLogIngestor> logger)
{
    private static readonly TimeSpan NoticeInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReattachDelay = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<string, ResumePosition> _positions = new(StringComparer.Ordinal);

    /// <summary>Follows <paramref name="container"/> until it stops for good or <paramref name="ct"/> is cancelled.</summary>
    public async Task FollowAsync(LoggedContainer container, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (!_positions.TryGetValue(container.Id, out var position))
        {
            position = new ResumePosition(await query.ResumePointAsync(container.DeploymentId, ct).ConfigureAwait(false));
            _positions[container.Id] = position;
        }

        var drops = new DropTracker(container, writer, timeProvider, options.Value.RateLimitLinesPerSecond);
        using var stopNotices = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // A flood that ends leaves its last drops pending with no further line to report them: say so within a second anyway.
        var notices = ReportDropsPeriodicallyAsync(drops, stopNotices.Token);
        var delay = TimeSpan.FromSeconds(1);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    position.BeginAttach();
                    await foreach (var raw in source.FollowAsync(container.Id, position.Since, options.Value.MaxLineLength, ct).ConfigureAwait(false))
                    {
                        if (!position.Accept(raw.Timestamp))
                        {
                            continue;
                        }

                        await IngestAsync(container, raw, drops, ct).ConfigureAwait(false);
                        delay = TimeSpan.FromSeconds(1);
                    }

                    // The stream ended: the container stopped, or is restarting (then attach again from where we are).
                    if (!await source.IsAliveAsync(container.Id, ct).ConfigureAwait(false))
                    {
                        _positions.TryRemove(container.Id, out _);
                        maskers.Forget(container.DeploymentId);
                        return;
                    }

                    await Task.Delay(ReattachDelay, timeProvider, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && IsRetriable(ex))
                {
                    LogReconnecting(container.Id, delay, ex);
                    await Task.Delay(delay, timeProvider, ct).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.ReconnectMaxDelay.Ticks));
                    if (!await IsAliveQuietlyAsync(container.Id, ct).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            await stopNotices.CancelAsync().ConfigureAwait(false);
            await notices.ConfigureAwait(false);
            drops.Flush();
        }
    }

    private async Task ReportDropsPeriodicallyAsync(DropTracker drops, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(NoticeInterval, timeProvider, ct).ConfigureAwait(false);
                drops.FlushIfDue(force: false);
            }
        }
        catch (OperationCanceledException)
        {
            // The follower ended.
        }
    }

    private async ValueTask IngestAsync(LoggedContainer container, RawLogLine raw, DropTracker drops, CancellationToken ct)
    {
        if (!rateLimiter.TryAcquire(container.ProjectId))
        {
            drops.Add();
            return;
        }

        drops.FlushIfDue(force: false);
        var masker = await maskers.GetAsync(container.ProjectId, container.DeploymentId, ct).ConfigureAwait(false);
        var text = LogLineShaper.Shape(raw.Text, masker, options.Value.MaxLineLength, raw.CutCharacters);
        var level = LogLevels.Detect(text, raw.IsStderr);
        var timestamp = raw.Timestamp == default ? timeProvider.GetUtcNow() : raw.Timestamp.StoredValue;
        writer.Write(container.ProjectId, container.DeploymentId, timestamp,
            raw.IsStderr ? RuntimeLogLine.StderrStream : RuntimeLogLine.StdoutStream, level, text);
    }

    private async Task<bool> IsAliveQuietlyAsync(string containerId, CancellationToken ct)
    {
        try
        {
            return await source.IsAliveAsync(containerId, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && IsRetriable(ex))
        {
            // The engine itself is unreachable: keep trying; the container may well still run.
            return true;
        }
    }

    private static bool IsRetriable(Exception ex) =>
        ex is global::Docker.DotNet.DockerApiException or HttpRequestException or IOException or TimeoutException or System.Net.Sockets.SocketException
        || (ex.InnerException is { } inner && IsRetriable(inner));

    [LoggerMessage(Level = LogLevel.Information, Message = "Log stream of container {ContainerId} broke; reconnecting in {Delay}")]
    private partial void LogReconnecting(string containerId, TimeSpan delay, Exception exception);

    /// <summary>Counts lines over the rate limit and turns them into a notice at most once a second (and when lines pass again).</summary>
    private sealed class DropTracker(LoggedContainer container, RuntimeLogWriter writer, TimeProvider timeProvider, int rate)
    {
        private readonly Lock _lock = new();
        private long _count;
        private long _since = timeProvider.GetTimestamp();

        public void Add()
        {
            lock (_lock)
            {
                _count++;
                FlushIfDue(force: false);
            }
        }

        public void FlushIfDue(bool force)
        {
            lock (_lock)
            {
                if (_count == 0 || (!force && timeProvider.GetElapsedTime(_since) < NoticeInterval))
                {
                    return;
                }

                Flush();
            }
        }

        public void Flush()
        {
            lock (_lock)
            {
                FlushLocked();
            }
        }

        private void FlushLocked()
        {
            if (_count > 0)
            {
                writer.WriteDropped(container.ProjectId, container.DeploymentId, _count,
                    string.Create(CultureInfo.InvariantCulture, $"this project wrote more than {rate:N0} lines/s"));
            }

            _count = 0;
            _since = timeProvider.GetTimestamp();
        }
    }
}
