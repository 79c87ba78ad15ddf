using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.GitHub;

/// <summary>
/// Starts at most one automatic deployment per (project, commit): the webhook and the poller both claim the commit first,
/// and only the caller whose insert succeeds deploys. The primary key makes this safe across threads and processes. The
/// claim and the queued deployment row are committed together, so a failure between them never leaves a commit claimed
/// with nothing queued.
/// </summary>
public sealed class AutoDeployer(IDbContextFactory<MiniPaasDbContext> dbFactory, DeploymentService deployments, TimeProvider timeProvider)
{
    /// <returns>The new deployment's id, or null when this commit was already claimed.</returns>
    public async Task<long?> DeployOnceAsync(long projectId, string commitSha, string trigger, string? triggeredBy, CancellationToken ct = default)
    {
        DeploymentRecord? deployment;
        await using (var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            deployment = await ClaimAsync(db, projectId, commitSha, trigger, triggeredBy, ct).ConfigureAwait(false);
            if (deployment is null)
            {
                return null;
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }

        deployments.Enqueue(deployment);
        return deployment.Id;
    }

    /// <summary>
    /// Claims the commit and saves its queued deployment inside the caller's open transaction on <paramref name="db"/>. The
    /// caller commits, then hands the returned row to <see cref="DeploymentService.Enqueue"/>.
    /// </summary>
    /// <returns>The saved (uncommitted) deployment, or null when this commit was already claimed.</returns>
    public async Task<DeploymentRecord?> ClaimAsync(MiniPaasDbContext db, long projectId, string commitSha, string trigger, string? triggeredBy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentException.ThrowIfNullOrEmpty(commitSha);
        var claim = new AutoDeployClaimRecord { ProjectId = projectId, CommitSha = commitSha.ToLowerInvariant(), Trigger = trigger, ClaimedAt = timeProvider.GetUtcNow() };
        db.AutoDeployClaims.Add(claim);
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // EF rolled the transaction back to the savepoint it took before saving; forget the refused row so the caller's
            // context (and transaction) carry on.
            db.Entry(claim).State = EntityState.Detached;
            return null;
        }

        var deployment = deployments.AddQueued(db, projectId, trigger, triggeredBy, commitSha);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        claim.DeploymentId = deployment.Id;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return deployment;
    }
}
