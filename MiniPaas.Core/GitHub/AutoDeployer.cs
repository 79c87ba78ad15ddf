using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.GitHub;

/// <summary>
/// Starts at most one automatic deployment per (project, commit): the webhook and the poller both claim the commit first,
/// and only the caller whose insert succeeds deploys. The primary key makes this safe across threads and processes.
/// </summary>
public sealed class AutoDeployer(IDbContextFactory<MiniPaasDbContext> dbFactory, DeploymentService deployments, TimeProvider timeProvider)
{
    /// <returns>The new deployment's id, or null when this commit was already claimed.</returns>
    public async Task<long?> DeployOnceAsync(long projectId, string commitSha, string trigger, string? triggeredBy, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(commitSha);
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var claim = new AutoDeployClaimRecord { ProjectId = projectId, CommitSha = commitSha.ToLowerInvariant(), Trigger = trigger, ClaimedAt = timeProvider.GetUtcNow() };
        db.AutoDeployClaims.Add(claim);
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return null;
        }

        long deploymentId;
        try
        {
            deploymentId = await deployments.DeployAsync(projectId, trigger, triggeredBy, commitSha, ct).ConfigureAwait(false);
        }
        catch
        {
            // Nothing was queued: release the commit so the next delivery or poll can try again.
            db.AutoDeployClaims.Remove(claim);
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        claim.DeploymentId = deploymentId;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return deploymentId;
    }
}
