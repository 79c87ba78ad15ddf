using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Deploying;

/// <summary>What a user can do to a project's deployments: deploy, redeploy, roll back, stop, start, restart, remove.</summary>
public sealed class DeploymentService(
    IDbContextFactory<MiniPaasDbContext> dbFactory,
    BuildQueue queue,
    DeploymentStatusWriter status,
    IContainerRuntime runtime,
    IRouteTable routes,
    TimeProvider timeProvider)
{
    /// <summary>Queues a build of the branch head (or of <paramref name="commitSha"/>).</summary>
    public Task<long> DeployAsync(long projectId, string trigger = "manual", string? triggeredBy = null, string? commitSha = null, CancellationToken ct = default) =>
        QueueAsync(projectId, trigger, triggeredBy, commitSha, rollbackOf: null, ct);

    /// <summary>Runs the live (or latest healthy) deployment's image again, without building.</summary>
    public async Task<long> RedeployAsync(long projectId, string? triggeredBy = null, CancellationToken ct = default)
    {
        var source = await LatestHealthyAsync(projectId, ct).ConfigureAwait(false)
            ?? throw new DeploymentException("Nothing to redeploy yet: no deployment of this project has run successfully.");
        return await QueueAsync(projectId, "redeploy", triggeredBy, source.CommitSha, source.Id, ct).ConfigureAwait(false);
    }

    /// <summary>Serves an earlier successful deployment again by reusing its image (no rebuild, exact commit).</summary>
    public async Task<long> RollbackAsync(long deploymentId, string? triggeredBy = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var target = await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deploymentId, ct).ConfigureAwait(false)
            ?? throw new DeploymentException($"Deployment #{deploymentId} does not exist.");
        if (target.HealthyAt is null)
        {
            throw new DeploymentException($"Deployment #{deploymentId} never ran successfully, so there is nothing to roll back to.");
        }

        if (target.ImageTag is null || !await runtime.ImageExistsAsync(target.ImageTag, ct).ConfigureAwait(false))
        {
            throw new DeploymentException($"The image of deployment #{deploymentId} was pruned; deploy commit {target.CommitSha} again instead.");
        }

        return await QueueAsync(target.ProjectId, "rollback", triggeredBy, target.CommitSha, target.Id, ct).ConfigureAwait(false);
    }

    /// <summary>Stops the live container; the subdomain answers 503 until the project is started again.</summary>
    public async Task StopAsync(long projectId, CancellationToken ct = default)
    {
        var (project, live) = await LiveAsync(projectId, ct).ConfigureAwait(false);
        if (live?.ContainerId is null)
        {
            throw new DeploymentException("The project has no running deployment to stop.");
        }

        // Stopped is recorded before the container stops: a reconcile pass that sees the exited container then also reads
        // "stopped" (it lists containers before it reads rows), where it would otherwise take the exit for a crash.
        routes.SetUnavailable(project.Subdomain, project.Id, "stopped");
        await status.SetStatusAsync(live.Id, DeploymentStatus.Stopped, ct: ct).ConfigureAwait(false);
        try
        {
            await runtime.StopAsync(live.ContainerId, ct).ConfigureAwait(false);
        }
        catch
        {
            // Still running: say so again, and serve it again.
            await status.SetStatusAsync(live.Id, DeploymentStatus.Running, update: d => d.FinishedAt = null, ct: CancellationToken.None).ConfigureAwait(false);
            if (live.Upstream is { } upstream)
            {
                routes.SetUpstream(project.Subdomain, project.Id, live.Id, upstream);
            }

            throw;
        }
    }

    /// <summary>Starts the stopped deployment's container again and restores its route once it runs.</summary>
    public async Task StartAsync(long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var project = await db.Projects.AsNoTracking().SingleAsync(p => p.Id == projectId, ct).ConfigureAwait(false);
        var stopped = await db.Deployments.AsNoTracking()
            .Where(d => d.ProjectId == projectId && d.ContainerId != null && (d.Status == DeploymentStatus.Stopped || d.Status == DeploymentStatus.Crashed))
            .OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (stopped?.ContainerId is null)
        {
            // No container left to start: run the last good image again.
            await RedeployAsync(projectId, ct: ct).ConfigureAwait(false);
            return;
        }

        await runtime.RestartAsync(stopped.ContainerId, ct).ConfigureAwait(false);
        var info = await runtime.InspectAsync(stopped.ContainerId, ct).ConfigureAwait(false);
        if (info?.Upstream is not null)
        {
            routes.SetUpstream(project.Subdomain, project.Id, stopped.Id, info.Upstream);
        }

        await status.SetStatusAsync(stopped.Id, DeploymentStatus.Running, update: d => d.Upstream = info?.Upstream ?? d.Upstream, ct: ct).ConfigureAwait(false);
    }

    /// <summary>Restarts the live container in place.</summary>
    public async Task RestartAsync(long projectId, CancellationToken ct = default)
    {
        var (project, live) = await LiveAsync(projectId, ct).ConfigureAwait(false);
        if (live?.ContainerId is null)
        {
            await StartAsync(projectId, ct).ConfigureAwait(false);
            return;
        }

        await runtime.RestartAsync(live.ContainerId, ct).ConfigureAwait(false);
        var info = await runtime.InspectAsync(live.ContainerId, ct).ConfigureAwait(false);
        if (info?.Upstream is not null && info.Upstream != live.Upstream)
        {
            routes.SetUpstream(project.Subdomain, project.Id, live.Id, info.Upstream);
            await status.UpdateAsync(live.Id, d => d.Upstream = info.Upstream, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Cancels a queued or running deployment.</summary>
    public bool Cancel(long deploymentId) => queue.Cancel(deploymentId);

    /// <summary>
    /// Stops one deployment whatever its stage: a queued or building one is cancelled, the live one is stopped (its
    /// subdomain answers 503). Refused for a deployment that is neither.
    /// </summary>
    public async Task StopDeploymentAsync(long deploymentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var deployment = await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deploymentId, ct).ConfigureAwait(false)
            ?? throw new DeploymentException($"Deployment #{deploymentId} does not exist.");
        if (DeploymentStatusWriter.IsInProgress(deployment.Status))
        {
            // A running build marks itself failed when cancelled; one still waiting in the queue has nobody to do that.
            var isBuilding = queue.Running.Any(r => r.DeploymentId == deploymentId);
            queue.Cancel(deploymentId);
            if (!isBuilding)
            {
                await status.SetStatusAsync(deploymentId, DeploymentStatus.Failed, "cancelled", ct: ct).ConfigureAwait(false);
            }

            return;
        }

        if (deployment.Status != DeploymentStatus.Running)
        {
            throw new DeploymentException($"Deployment #{deploymentId} is {deployment.Status.ToString().ToLowerInvariant()}, so there is nothing to stop.");
        }

        await StopAsync(deployment.ProjectId, ct).ConfigureAwait(false);
    }

    /// <summary>Removes one deployment that is not live: its container, and its row. Its image is kept for other deployments sharing it.</summary>
    public async Task RemoveDeploymentAsync(long deploymentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var deployment = await db.Deployments.SingleOrDefaultAsync(d => d.Id == deploymentId, ct).ConfigureAwait(false)
            ?? throw new DeploymentException($"Deployment #{deploymentId} does not exist.");
        if (deployment.Status == DeploymentStatus.Running || DeploymentStatusWriter.IsInProgress(deployment.Status))
        {
            throw new DeploymentException("A live or in-progress deployment cannot be removed: stop it or deploy another first.");
        }

        if (deployment.ContainerId is not null)
        {
            await runtime.RemoveAsync(deployment.ContainerId, ct).ConfigureAwait(false);
        }

        var image = deployment.ImageTag;
        db.Deployments.Remove(deployment);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);

        // Its image goes with it, unless another deployment (a rollback or redeploy reusing it) still needs it.
        if (image is not null && !await db.Deployments.AnyAsync(d => d.ImageTag == image, ct).ConfigureAwait(false))
        {
            try
            {
                await runtime.RemoveImageAsync(image, ct).ConfigureAwait(false);
            }
            catch (ContainerRuntimeException)
            {
                // Best effort: the deployment is gone either way, and an image the engine still holds is only disk space.
            }
        }
    }

    private async Task<long> QueueAsync(long projectId, string trigger, string? triggeredBy, string? commitSha, long? rollbackOf, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        if (!await db.Projects.AnyAsync(p => p.Id == projectId, ct).ConfigureAwait(false))
        {
            throw new DeploymentException($"Project {projectId} does not exist.");
        }

        var deployment = AddQueued(db, projectId, trigger, triggeredBy, commitSha, rollbackOf);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        Enqueue(deployment);
        return deployment.Id;
    }

    /// <summary>
    /// Adds a queued deployment row to <paramref name="db"/> without saving it, so a caller can save it in the same transaction
    /// as its own rows (the webhook's delivery, an auto-deploy claim); once committed, <see cref="Enqueue"/> starts it.
    /// </summary>
    public DeploymentRecord AddQueued(MiniPaasDbContext db, long projectId, string trigger, string? triggeredBy, string? commitSha, long? rollbackOf = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var deployment = new DeploymentRecord
        {
            ProjectId = projectId,
            Status = DeploymentStatus.Queued,
            Trigger = trigger,
            TriggeredBy = triggeredBy,
            CommitSha = commitSha,
            RollbackOfDeploymentId = rollbackOf,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        db.Deployments.Add(deployment);
        return deployment;
    }

    /// <summary>Tells viewers about a saved queued deployment and hands it to the build queue. Touches no database, so it cannot fail halfway.</summary>
    public void Enqueue(DeploymentRecord saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        status.Announce(saved);
        queue.Enqueue(new DeployRequest(saved.ProjectId, saved.Id));
    }

    private async Task<DeploymentRecord?> LatestHealthyAsync(long projectId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        return await db.Deployments.AsNoTracking()
            .Where(d => d.ProjectId == projectId && d.HealthyAt != null && d.ImageTag != null)
            .OrderByDescending(d => d.Status == DeploymentStatus.Running).ThenByDescending(d => d.Id)
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
    }

    private async Task<(ProjectRecord Project, DeploymentRecord? Live)> LiveAsync(long projectId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, ct).ConfigureAwait(false)
            ?? throw new DeploymentException($"Project {projectId} does not exist.");
        var live = await db.Deployments.AsNoTracking()
            .Where(d => d.ProjectId == projectId && d.Status == DeploymentStatus.Running)
            .OrderByDescending(d => d.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        return (project, live);
    }
}
