using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Git;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.GitHub;

/// <summary>
/// Auto-deploy for machines GitHub cannot reach: every <see cref="GitHubOptions.PollInterval"/>, <c>git ls-remote</c> the
/// tracked branch of each auto-deploy project without a webhook, and deploy the head when no deployment has built it yet.
/// Projects with a webhook are polled too, every <see cref="GitHubOptions.WebhookSafetyPollInterval"/>, so a lost delivery
/// is deployed late rather than never (the (project, commit) claim keeps it to one deployment either way).
/// One failing repository is recorded on its project and never stops the loop.
/// </summary>
public sealed partial class BranchPoller(
    IDbContextFactory<MiniPaasDbContext> dbFactory,
    IGitClient git,
    IGitCredentialSource credentials,
    AutoDeployer autoDeployer,
    IOptionsMonitor<GitHubOptions> options,
    TimeProvider timeProvider,
    ILogger<BranchPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first safety round comes one interval after start: webhooks are the normal path, polling them is the net.
        var nextSafetyRound = timeProvider.GetUtcNow() + options.CurrentValue.WebhookSafetyPollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = timeProvider.GetUtcNow();
                var includeWebhookProjects = now >= nextSafetyRound;
                if (includeWebhookProjects)
                {
                    nextSafetyRound = now + options.CurrentValue.WebhookSafetyPollInterval;
                }

                await PollOnceAsync(includeWebhookProjects, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The database being down must not end auto-deploy for good; the next round tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRoundFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.CurrentValue.PollInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One round over every auto-deploy project without a webhook (and those with one when
    /// <paramref name="includeWebhookProjects"/>); returns the deployments it started.
    /// </summary>
    public async Task<IReadOnlyList<long>> PollOnceAsync(bool includeWebhookProjects = false, CancellationToken ct = default)
    {
        List<ProjectRecord> projects;
        await using (var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            var withWebhook = db.ProjectGitHub.Where(g => g.EncryptedWebhookSecret != null).Select(g => g.ProjectId);
            projects = await db.Projects.AsNoTracking()
                .Where(p => p.AutoDeploy && (includeWebhookProjects || !withWebhook.Contains(p.Id)))
                .OrderBy(p => p.Id)
                .ToListAsync(ct).ConfigureAwait(false);
        }

        var started = new List<long>();
        foreach (var project in projects)
        {
            try
            {
                if (await PollProjectAsync(project, ct).ConfigureAwait(false) is { } id)
                {
                    started.Add(id);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is GitException or DeploymentException or DbUpdateException)
            {
                LogProjectFailed(logger, project.Name, ex.Message);
                await RecordAsync(project.Id, sha: null, ex.Message, ct).ConfigureAwait(false);
            }
        }

        return started;
    }

    private async Task<long?> PollProjectAsync(ProjectRecord project, CancellationToken ct)
    {
        var gitCredentials = await credentials.GetForProjectAsync(project.OwnerId, project.SourceUrl, ct).ConfigureAwait(false);
        var head = await git.GetRemoteHeadAsync(project.SourceUrl, project.Branch, gitCredentials, ct).ConfigureAwait(false);
        await RecordAsync(project.Id, head, head is null ? $"Branch '{project.Branch}' not found." : null, ct).ConfigureAwait(false);
        if (head is null)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        // A deployment still cloning has no commit yet; wait for it rather than racing it with a second build of the same head.
        var busy = await db.Deployments.AnyAsync(
            d => d.ProjectId == project.Id && (d.Status == DeploymentStatus.Queued || d.Status == DeploymentStatus.Cloning), ct).ConfigureAwait(false);
        var built = await db.Deployments.AnyAsync(d => d.ProjectId == project.Id && d.CommitSha == head, ct).ConfigureAwait(false);
        if (busy || built)
        {
            return null;
        }

        var id = await autoDeployer.DeployOnceAsync(project.Id, head, "poll", triggeredBy: null, ct).ConfigureAwait(false);
        if (id is not null)
        {
            LogDeploying(logger, project.Name, head);
        }

        return id;
    }

    private async Task RecordAsync(long projectId, string? sha, string? error, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var row = await Webhooks.GitHubProjectState.GetOrAddAsync(db, projectId, ct).ConfigureAwait(false);
        row.LastPolledAt = timeProvider.GetUtcNow();
        row.LastPolledSha = sha ?? row.LastPolledSha;
        row.LastPollError = error is { Length: > 500 } ? error[..500] : error;
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // The project was deleted meanwhile, or a webhook secret was created at the same moment: the next round sees the new state.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Branch of {Project} moved to {CommitSha}; deploying")]
    private static partial void LogDeploying(ILogger logger, string project, string commitSha);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling {Project} failed: {Reason}")]
    private static partial void LogProjectFailed(ILogger logger, string project, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A branch polling round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
