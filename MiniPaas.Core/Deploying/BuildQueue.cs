using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Deploying;

/// <summary>A request to run one deployment of one project.</summary>
public sealed record DeployRequest(long ProjectId, long DeploymentId);

/// <summary>Runs one deployment end to end; called by <see cref="BuildQueue"/>.</summary>
public interface IDeploymentRunner
{
    Task RunAsync(DeployRequest request, CancellationToken ct);

    /// <summary>Records that a newer request replaced this one (queued or running).</summary>
    Task MarkSupersededAsync(DeployRequest request, CancellationToken ct);
}

/// <summary>
/// Bounded-concurrency deployment queue: at most <see cref="BuilderOptions.MaxConcurrentBuilds"/> at once, at most one per
/// project, and "newest wins": a newer request for a project replaces its queued one and cancels its running one.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue; the design card names it BuildQueue.")]
public sealed partial class BuildQueue(
    IDeploymentRunner runner,
    IOptions<BuilderOptions> options,
    ILogger<BuildQueue> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly List<DeployRequest> _pending = [];
    private readonly Dictionary<long, RunningBuild> _running = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly int _maxConcurrent = Math.Max(1, options.Value.MaxConcurrentBuilds);

    private sealed record RunningBuild(DeployRequest Request, CancellationTokenSource Cancellation)
    {
        public bool IsSuperseded { get; set; }
    }

    /// <summary>Deployments waiting for a worker, oldest first.</summary>
    public IReadOnlyList<DeployRequest> Pending
    {
        get
        {
            lock (_gate)
            {
                return [.. _pending];
            }
        }
    }

    /// <summary>Deployments being run now.</summary>
    public IReadOnlyList<DeployRequest> Running
    {
        get
        {
            lock (_gate)
            {
                return [.. _running.Values.Select(r => r.Request)];
            }
        }
    }

    public int MaxConcurrentBuilds => _maxConcurrent;

    /// <summary>Ids of the deployments queued or running now, taken in one look.</summary>
    public HashSet<long> BusyDeploymentIds()
    {
        lock (_gate)
        {
            return [.. _running.Values.Select(r => r.Request.DeploymentId), .. _pending.Select(p => p.DeploymentId)];
        }
    }

    /// <summary>True while a deployment of <paramref name="projectId"/> is queued or running: the pipeline owns its route then.</summary>
    public bool IsBusy(long projectId)
    {
        lock (_gate)
        {
            return _running.ContainsKey(projectId) || _pending.Exists(p => p.ProjectId == projectId);
        }
    }

    /// <summary>Queues <paramref name="request"/>; supersedes the project's queued request and cancels its running one.</summary>
    public void Enqueue(DeployRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        DeployRequest? replaced = null;
        lock (_gate)
        {
            var index = _pending.FindIndex(p => p.ProjectId == request.ProjectId);
            if (index >= 0)
            {
                replaced = _pending[index];
                _pending[index] = request;
            }
            else
            {
                _pending.Add(request);
            }

            if (_running.TryGetValue(request.ProjectId, out var running))
            {
                running.IsSuperseded = true;
                running.Cancellation.Cancel();
            }
        }

        if (replaced is not null)
        {
            LogSuperseded(logger, replaced.DeploymentId, request.DeploymentId);
            _ = MarkSupersededSafelyAsync(replaced);
        }

        _wake.Release();
    }

    /// <summary>Cancels a queued or running deployment. Returns false when it is neither.</summary>
    public bool Cancel(long deploymentId)
    {
        lock (_gate)
        {
            var removed = _pending.RemoveAll(p => p.DeploymentId == deploymentId) > 0;
            var running = _running.Values.FirstOrDefault(r => r.Request.DeploymentId == deploymentId);
            running?.Cancellation.Cancel();
            return removed || running is not null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var inFlight = new List<Task>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _wake.WaitAsync(stoppingToken).ConfigureAwait(false);
                while (TryStartNext(stoppingToken, out var started))
                {
                    inFlight.Add(started);
                }

                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: running builds see the same token and end; the reconciler marks them interrupted on next start.
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    private bool TryStartNext(CancellationToken stoppingToken, out Task started)
    {
        started = Task.CompletedTask;
        RunningBuild build;
        lock (_gate)
        {
            if (_running.Count >= _maxConcurrent)
            {
                return false;
            }

            var index = _pending.FindIndex(p => !_running.ContainsKey(p.ProjectId));
            if (index < 0)
            {
                return false;
            }

            var request = _pending[index];
            _pending.RemoveAt(index);
            build = new RunningBuild(request, CancellationTokenSource.CreateLinkedTokenSource(stoppingToken));
            _running[request.ProjectId] = build;
        }

        started = RunAsync(build, stoppingToken);
        return true;
    }

    private async Task RunAsync(RunningBuild build, CancellationToken stoppingToken)
    {
        // Yield so the dispatcher loop is never held up by the synchronous start of a build.
        await Task.Yield();
        try
        {
            await runner.RunAsync(build.Request, build.Cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (build.Cancellation.IsCancellationRequested)
        {
            LogCancelled(logger, build.Request.DeploymentId);
        }
        catch (Exception ex)
        {
            LogRunnerFailed(logger, ex, build.Request.DeploymentId);
        }
        finally
        {
            lock (_gate)
            {
                _running.Remove(build.Request.ProjectId);
            }

            build.Cancellation.Dispose();
            _wake.Release();
        }

        if (build.IsSuperseded && !stoppingToken.IsCancellationRequested)
        {
            await MarkSupersededSafelyAsync(build.Request).ConfigureAwait(false);
        }
    }

    private async Task MarkSupersededSafelyAsync(DeployRequest request)
    {
        try
        {
            await runner.MarkSupersededAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogRunnerFailed(logger, ex, request.DeploymentId);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {Old} superseded by {New}")]
    private static partial void LogSuperseded(ILogger logger, long old, long @new);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId} cancelled")]
    private static partial void LogCancelled(ILogger logger, long deploymentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deployment {DeploymentId} ended with an unexpected error")]
    private static partial void LogRunnerFailed(ILogger logger, Exception exception, long deploymentId);
}
