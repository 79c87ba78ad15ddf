using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Logs;

/// <summary>
/// Follows the output of every running container of this installation: attaches when one starts (engine events, and a periodic
/// resync that also covers engine reconnects), resumes each from the last line already read or stored, and stops following
/// when the container stops. Reading never waits on a viewer or the database (see <see cref="RuntimeLogWriter"/>).
/// </summary>
public sealed partial class ContainerLogAttacher(
    IContainerLogSource source,
    ContainerLogIngestor ingestor,
    Installation installation,
    IOptions<LogsOptions> options,
    TimeProvider timeProvider,
    ILogger<ContainerLogAttacher> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, Task> _following = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _resync = new(0);

    /// <summary>Ids of the containers followed right now.</summary>
    public IReadOnlyCollection<string> Following => [.. _following.Keys];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var instanceId = await installation.IdAsync.WaitAsync(stoppingToken).ConfigureAwait(false);
        var events = WatchStartsAsync(instanceId, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ResyncAsync(instanceId, stoppingToken).ConfigureAwait(false);
                try
                {
                    await _resync.WaitAsync(options.Value.ResyncInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        finally
        {
            await events.ConfigureAwait(false);
            await Task.WhenAll(_following.Values).ConfigureAwait(false);
        }
    }

    private async Task ResyncAsync(string instanceId, CancellationToken ct)
    {
        IReadOnlyList<LoggedContainer> running;
        try
        {
            running = await source.ListRunningAsync(instanceId, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // The engine may be down: try again at the next resync.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogListFailed(ex);
            return;
        }

        foreach (var container in running)
        {
            if (_following.ContainsKey(container.Id))
            {
                continue;
            }

            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_following.TryAdd(container.Id, started.Task))
            {
                _ = RunFollowerAsync(container, started, ct);
            }
        }
    }

    private async Task RunFollowerAsync(LoggedContainer container, TaskCompletionSource done, CancellationToken ct)
    {
        try
        {
            await Task.Yield();
            LogAttached(container.Id, container.DeploymentId);
            await ingestor.FollowAsync(container, ct).ConfigureAwait(false);
            LogDetached(container.Id, container.DeploymentId);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // MiniPaas is stopping.
        }
#pragma warning disable CA1031 // One container's failure must not end the others; the next resync attaches it again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFollowFailed(container.Id, ex);
        }
        finally
        {
            _following.TryRemove(container.Id, out _);
            done.TrySetResult();
        }
    }

    private async Task WatchStartsAsync(string instanceId, CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await source.WatchStartsAsync(instanceId, () => _resync.Release(), ct).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The engine went away: the periodic resync covers the gap; reconnect with backoff.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogEventsFailed(ex);
            }

            try
            {
                await Task.Delay(delay, timeProvider, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.ReconnectMaxDelay.Ticks));
        }
    }

    public override void Dispose()
    {
        _resync.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Following logs of container {ContainerId} (deployment {DeploymentId})")]
    private partial void LogAttached(string containerId, long deploymentId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stopped following logs of container {ContainerId} (deployment {DeploymentId})")]
    private partial void LogDetached(string containerId, long deploymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not list running containers for log capture; will retry")]
    private partial void LogListFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following logs of container {ContainerId} failed; will attach again")]
    private partial void LogFollowFailed(string containerId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Docker event stream ended; reconnecting")]
    private partial void LogEventsFailed(Exception exception);
}
