using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Deploying;

/// <summary>
/// Makes the database and the container engine agree, at start-up and then periodically: deployments a crash left
/// half-done are failed, labelled containers are re-adopted with their routes, exited ones are shown as crashed,
/// and labelled containers without a row are removed.
/// </summary>
public sealed partial class Reconciler(
    IDbContextFactory<MiniPaasDbContext> dbFactory,
    IContainerRuntime runtime,
    IEngineStatus engine,
    IRouteTable routes,
    BuildQueue queue,
    ProjectDeletions deletions,
    DeploymentStatusWriter status,
    IOptions<RuntimeOptions> options,
    Installation installation,
    TimeProvider timeProvider,
    ILogger<Reconciler> logger) : BackgroundService
{
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DateTimeOffset _startedAt = timeProvider.GetUtcNow();

    /// <summary>Completes after the first full pass (tests and the UI wait on it).</summary>
    public Task FirstPass => _firstPass.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var isStartup = true;
        await WaitForEngineAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(isStartup, stoppingToken).ConfigureAwait(false);
                isStartup = false;
                _firstPass.TrySetResult();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // One bad pass (engine or database away) must not end the loop; the next pass tries again.
                LogPassFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.ReconcileInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>The engine monitor's first probe may not have run yet; give it a moment so start-up can re-adopt containers.</summary>
    private async Task WaitForEngineAsync(CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var reading in engine.WatchAsync(wait.Token).ConfigureAwait(false))
            {
                if (reading.IsConnected)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Engine still away: the first pass serves routes from the database.
        }
    }

    /// <summary>One pass. <paramref name="isStartup"/>: every in-progress deployment was interrupted by the restart.</summary>
    public async Task ReconcileAsync(bool isStartup, CancellationToken ct = default)
    {
        await FailInterruptedAsync(isStartup, ct).ConfigureAwait(false);
        if (!engine.Current.IsConnected)
        {
            await RestoreRoutesFromDatabaseAsync(ct).ConfigureAwait(false);
            return;
        }

        var instanceId = await installation.IdAsync.WaitAsync(ct).ConfigureAwait(false);
        var containers = (await runtime.ListManagedAsync(ct).ConfigureAwait(false))
            .Where(c => ContainerLabels.BelongsTo(c.Labels, instanceId));
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var projects = await db.Projects.AsNoTracking().ToDictionaryAsync(p => p.Id, ct).ConfigureAwait(false);
        var deployments = await db.Deployments.AsNoTracking()
            .Where(d => d.ContainerId != null || d.Status == DeploymentStatus.Running)
            .ToDictionaryAsync(d => d.Id, ct).ConfigureAwait(false);
        var busy = queue.BusyDeploymentIds();

        // The newest running deployment of a project owns its route; an older one still running is being retired by its pipeline.
        var newestRunning = deployments.Values.Where(d => d.Status == DeploymentStatus.Running)
            .GroupBy(d => d.ProjectId).ToDictionary(g => g.Key, g => g.Max(d => d.Id));
        var seen = new HashSet<long>();
        foreach (var container in containers)
        {
            if (!TryDeploymentId(container, out var deploymentId) || !deployments.TryGetValue(deploymentId, out var deployment))
            {
                if (!busy.Contains(deploymentId))
                {
                    await RemoveOrphanAsync(container, ct).ConfigureAwait(false);
                }

                continue;
            }

            seen.Add(deploymentId);

            // A project being deployed belongs to its pipeline: touching its route here could undo a switch in progress.
            // One being deleted belongs to its deletion, which removes its containers itself.
            if (queue.IsBusy(deployment.ProjectId) || deletions.IsDeleting(deployment.ProjectId)
                || (newestRunning.TryGetValue(deployment.ProjectId, out var newest) && newest != deployment.Id && container.IsRunning))
            {
                continue;
            }

            await ReconcileContainerAsync(projects[deployment.ProjectId], deployment, container, ct).ConfigureAwait(false);
        }

        foreach (var missing in deployments.Values.Where(d => d.Status == DeploymentStatus.Running && !seen.Contains(d.Id)
                                                              && !queue.IsBusy(d.ProjectId) && !deletions.IsDeleting(d.ProjectId)))
        {
            await status.SetStatusAsync(missing.Id, DeploymentStatus.Crashed, "the container disappeared from the engine", d => d.ContainerId = null, ct).ConfigureAwait(false);
            SetUnavailable(projects[missing.ProjectId].Subdomain, missing.ProjectId, "crashed");
        }

        await MarkProjectsWithoutLiveDeploymentAsync(db, ct).ConfigureAwait(false);
    }

    private async Task ReconcileContainerAsync(ProjectRecord project, DeploymentRecord deployment, ContainerInfo container, CancellationToken ct)
    {
        if (container.IsRunning && deployment.Status is DeploymentStatus.Running or DeploymentStatus.Crashed)
        {
            var current = routes.Find(project.Subdomain);
            if (current?.DeploymentId != deployment.Id || current.Upstream != container.Upstream)
            {
                SetUpstream(project.Subdomain, project.Id, deployment.Id, container.Upstream!);
                LogAdopted(logger, container.Name, project.Subdomain);
            }

            if (deployment.Status != DeploymentStatus.Running || deployment.Upstream != container.Upstream)
            {
                await status.SetStatusAsync(deployment.Id, DeploymentStatus.Running, update: d =>
                {
                    d.Upstream = container.Upstream;
                    d.RestartCount = container.RestartCount;
                }, ct: ct).ConfigureAwait(false);
            }
        }
        else if (!container.IsRunning && deployment.Status == DeploymentStatus.Running)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"the container exited with code {container.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"} after {container.RestartCount} restart(s)");
            await status.SetStatusAsync(deployment.Id, DeploymentStatus.Crashed, reason, d =>
            {
                d.ExitCode = container.ExitCode;
                d.RestartCount = container.RestartCount;
            }, ct).ConfigureAwait(false);
            SetUnavailable(project.Subdomain, project.Id, "crashed");
        }
    }

    private async Task FailInterruptedAsync(bool isStartup, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var inProgress = await db.Deployments.AsNoTracking()
            .Where(d => d.Status == DeploymentStatus.Queued || d.Status == DeploymentStatus.Cloning
                        || d.Status == DeploymentStatus.Building || d.Status == DeploymentStatus.Starting)
            .Select(d => new { d.Id, d.ContainerId, d.CreatedAt })
            .ToListAsync(ct).ConfigureAwait(false);
        var busy = queue.BusyDeploymentIds();

        // A deployment row is written just before it is queued; the grace period keeps a pass from failing one in that gap.
        var settled = timeProvider.GetUtcNow() - TimeSpan.FromMinutes(1);
        // At start-up every deployment begun before this process started was interrupted; one asked for since (the first pass
        // may wait for the engine for a while) is this process's own and is left to its pipeline.
        var begunBefore = isStartup ? _startedAt : settled;
        foreach (var deployment in inProgress.Where(d => !busy.Contains(d.Id) && d.CreatedAt < begunBefore))
        {
            if (deployment.ContainerId is not null)
            {
                await runtime.RemoveAsync(deployment.ContainerId, ct).ConfigureAwait(false);
            }

            await status.SetStatusAsync(deployment.Id, DeploymentStatus.Failed, "interrupted by a restart of MiniPaas; deploy again", d => d.ContainerId = null, ct).ConfigureAwait(false);
            LogInterrupted(logger, deployment.Id);
        }
    }

    private async Task RestoreRoutesFromDatabaseAsync(CancellationToken ct)
    {
        // Engine unreachable: trust the database so apps that still run keep being served.
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var live = await db.Deployments.AsNoTracking().Include(d => d.Project)
            .Where(d => d.Status == DeploymentStatus.Running && d.Upstream != null)
            .ToListAsync(ct).ConfigureAwait(false);
        foreach (var deployment in live.Where(d => routes.Find(d.Project!.Subdomain) is null))
        {
            SetUpstream(deployment.Project!.Subdomain, deployment.ProjectId, deployment.Id, deployment.Upstream!);
        }

        await MarkProjectsWithoutLiveDeploymentAsync(db, ct).ConfigureAwait(false);
    }

    private async Task MarkProjectsWithoutLiveDeploymentAsync(MiniPaasDbContext db, CancellationToken ct)
    {
        var projects = await db.Projects.AsNoTracking()
            .Select(p => new
            {
                p.Id,
                p.Subdomain,
                HasLive = p.Deployments.Any(d => d.Status == DeploymentStatus.Running),
                Latest = p.Deployments.OrderByDescending(d => d.Id).Select(d => (DeploymentStatus?)d.Status).FirstOrDefault(),
            })
            .ToListAsync(ct).ConfigureAwait(false);
        foreach (var project in projects.Where(p => !p.HasLive))
        {
            var route = routes.Find(project.Subdomain);
            if (route?.Upstream is null)
            {
                SetUnavailable(project.Subdomain, project.Id, project.Latest?.ToString().ToLowerInvariant() ?? "not deployed");
            }
        }
    }

    // Every route change of a pass goes through these two: a project whose deletion began meanwhile keeps no route.
    private void SetUpstream(string subdomain, long projectId, long deploymentId, string upstream) =>
        deletions.UnlessDeleting(projectId, () => routes.SetUpstream(subdomain, projectId, deploymentId, upstream));

    private void SetUnavailable(string subdomain, long projectId, string status) =>
        deletions.UnlessDeleting(projectId, () => routes.SetUnavailable(subdomain, projectId, status));

    private async Task RemoveOrphanAsync(ContainerInfo container, CancellationToken ct)
    {
        LogOrphan(logger, container.Name);
        await runtime.RemoveAsync(container.Id, ct).ConfigureAwait(false);
    }

    private static bool TryDeploymentId(ContainerInfo container, out long deploymentId)
    {
        deploymentId = 0;
        return container.Labels.TryGetValue(ContainerLabels.Deployment, out var value)
               && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out deploymentId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation pass failed; will try again")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-adopted container {Container} for {Subdomain}")]
    private static partial void LogAdopted(ILogger logger, string container, string subdomain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId} was interrupted by a restart; marked failed")]
    private static partial void LogInterrupted(ILogger logger, long deploymentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removing orphan container {Container} (no deployment row)")]
    private static partial void LogOrphan(ILogger logger, string container);
}
