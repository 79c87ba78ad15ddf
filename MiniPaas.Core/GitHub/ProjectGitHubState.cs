using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.GitHub;

/// <summary>How a project follows its branch, as the project page shows it.</summary>
public sealed record AutoDeployStatus(bool AutoDeploy, bool HasWebhookSecret, long? HookId, string? LastPolledSha, DateTimeOffset? LastPolledAt, string? LastPollError, string? OwnerLogin);

/// <summary>A project's GitHub-side facts: its owner (whose token clones it) and its auto-deploy state.</summary>
public sealed class ProjectGitHubState(IDbContextFactory<MiniPaasDbContext> dbFactory)
{
    /// <summary>Makes <paramref name="userId"/> the owner: private clones and polls of the project use their GitHub token.</summary>
    public async Task AssignOwnerAsync(long projectId, long userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.OwnerId, userId), ct).ConfigureAwait(false);
    }

    public async Task<AutoDeployStatus?> GetStatusAsync(long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var project = await db.Projects.AsNoTracking().Where(p => p.Id == projectId)
            .Select(p => new { p.AutoDeploy, p.OwnerId }).SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (project is null)
        {
            return null;
        }

        var state = await db.ProjectGitHub.AsNoTracking().SingleOrDefaultAsync(g => g.ProjectId == projectId, ct).ConfigureAwait(false);
        var owner = project.OwnerId is { } ownerId
            ? await db.Users.AsNoTracking().Where(u => u.Id == ownerId).Select(u => u.Login).SingleOrDefaultAsync(ct).ConfigureAwait(false)
            : null;
        return new AutoDeployStatus(
            project.AutoDeploy, state?.EncryptedWebhookSecret is not null, state?.HookId, state?.LastPolledSha, state?.LastPolledAt, state?.LastPollError, owner);
    }
}
