using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Events;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Deploying;

/// <summary>Moves deployments through their lifecycle: updates the row, then tells live viewers.</summary>
public sealed class DeploymentStatusWriter(
    IDbContextFactory<MiniPaasDbContext> dbFactory,
    DeploymentStatusFeed feed,
    TimeProvider timeProvider)
{
    private readonly SequenceGenerator _sequence = new();

    /// <summary>Sets the status (and whatever else <paramref name="update"/> changes) and publishes the change.</summary>
    public Task<DeploymentRecord> SetStatusAsync(
        long deploymentId,
        DeploymentStatus status,
        string? failureReason = null,
        Action<DeploymentRecord>? update = null,
        CancellationToken ct = default) =>
        UpdateAsync(deploymentId, deployment =>
        {
            var now = timeProvider.GetUtcNow();
            deployment.Status = status;
            deployment.FailureReason = failureReason;
            if (status is DeploymentStatus.Cloning && deployment.StartedAt is null)
            {
                deployment.StartedAt = now;
            }

            if (IsFinal(status))
            {
                deployment.FinishedAt ??= now;
            }

            update?.Invoke(deployment);
        }, ct);

    /// <summary>Applies <paramref name="update"/> to the row (commit SHA, image tag...), saves it and notifies viewers.</summary>
    public async Task<DeploymentRecord> UpdateAsync(long deploymentId, Action<DeploymentRecord> update, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var deployment = await db.Deployments.SingleAsync(d => d.Id == deploymentId, ct).ConfigureAwait(false);
        update(deployment);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        Announce(deployment);
        return deployment;
    }

    /// <summary>Tells live viewers the status of a row someone else saved (e.g. inside a caller's transaction).</summary>
    public void Announce(DeploymentRecord deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        feed.Publish(deployment.ProjectId, new DeploymentStatusChanged(
            _sequence.Next(), deployment.ProjectId, deployment.Id, deployment.Status, deployment.FailureReason, timeProvider.GetUtcNow()));
    }

    /// <summary>True for statuses a deployment never leaves by itself.</summary>
    public static bool IsFinal(DeploymentStatus status) =>
        status is DeploymentStatus.Failed or DeploymentStatus.Superseded or DeploymentStatus.Stopped or DeploymentStatus.Crashed;

    /// <summary>True while a deployment is still on its way to running.</summary>
    public static bool IsInProgress(DeploymentStatus status) =>
        status is DeploymentStatus.Queued or DeploymentStatus.Cloning or DeploymentStatus.Building or DeploymentStatus.Starting;
}
