using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Git;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;

namespace MiniPaas.Core.Variables;

/// <summary>What a scan of the project's repository found: suggestions still open, and the commit scanned.</summary>
public sealed record SuggestionScan(string CommitSha, IReadOnlyList<VariableSuggestion> Suggestions, IReadOnlyList<VariableSuggestion> Missing);

/// <summary>
/// Suggestions for one project: clones its branch (shallow) into a scratch folder of the workspace, scans the root
/// directory with <see cref="VariableSuggester"/>, and leaves out keys already set, provided by MiniPaas, or dismissed.
/// A dismissal is kept in the variables' audit trail (action "dismissed"), so it stays dismissed.
/// </summary>
public sealed class ProjectSuggestions(
    IDbContextFactory<MiniPaasDbContext> contexts,
    IGitClient git,
    WorkspaceDirectory workspace,
    ProjectVariables variables,
    TimeProvider time)
{
    internal const string DismissedAction = "dismissed";

    public async Task<SuggestionScan> ScanAsync(long projectId, CancellationToken ct = default)
    {
        ProjectRecord project;
        HashSet<string> dismissed;
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Project {projectId} does not exist.");
            dismissed = (await db.EnvVarAudit.Where(a => a.ProjectId == projectId && a.Action == DismissedAction).Select(a => a.Key)
                .ToListAsync(ct).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        }

        var folder = Path.Combine(workspace.Root, "suggest-" + Guid.NewGuid().ToString("N"));
        try
        {
            var checkout = await git.CloneAsync(project.SourceUrl, project.Branch, null, folder, null, null, ct).ConfigureAwait(false);
            var root = RootDirectoryRules.ResolveInside(folder, project.RootDirectory);
            var all = VariableSuggester.Suggest(root, ct);
            var set = (await variables.ListAsync(projectId, ct).ConfigureAwait(false)).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
            var open = all.Where(s => !s.IsPlatformProvided && !set.Contains(s.Key) && !dismissed.Contains(s.Key)).ToList();
            return new SuggestionScan(checkout.CommitSha, open, VariableSuggester.Missing(all, set));
        }
        finally
        {
            await WorkspaceDirectory.DeleteTreeAsync(folder, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Hides a suggestion for this project from now on (recorded with who and when).</summary>
    public async Task DismissAsync(long projectId, string key, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            db.EnvVarAudit.Add(new EnvVarAuditRecord { ProjectId = projectId, Key = key, Action = DismissedAction, Actor = actor, At = time.GetUtcNow() });
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
    }
}
