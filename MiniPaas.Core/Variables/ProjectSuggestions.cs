using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Git;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;

namespace MiniPaas.Core.Variables;

/// <summary>
/// The open suggestions of a project's latest scan: keys already set, provided by MiniPaas or dismissed are left out.
/// <see cref="Missing"/> lists the keys the code reads without a default that are not set.
/// </summary>
public sealed record SuggestionScan(
    string CommitSha, string Trigger, DateTimeOffset ScannedAt, IReadOnlyList<VariableSuggestion> Suggestions, IReadOnlyList<VariableSuggestion> Missing)
{
    /// <summary>Checkout files this scan would not read (links out of the checkout, special files); not stored, only for the scan's own build log.</summary>
    public IReadOnlyList<Checkouts.CheckoutNote> Skipped { get; init; } = [];
}

/// <summary>
/// Suggestions for one project. A scan reads a checkout with <see cref="VariableSuggester"/> and keeps its full result in
/// table <c>variable_scans</c> (one row per project, replaced by each scan): scans run when a project is created (a shallow
/// clone, in the background), on each deploy (the deployment's own checkout) and on demand. What is shown is filtered when
/// read, so setting or dismissing a key hides it at once. A dismissal is kept in the variables' audit trail (action
/// "dismissed"), so it stays dismissed across scans.
/// </summary>
public sealed class ProjectSuggestions(
    IDbContextFactory<MiniPaasDbContext> contexts,
    IGitClient git,
    WorkspaceDirectory workspace,
    ProjectVariables variables,
    TimeProvider time)
{
    internal const string DismissedAction = "dismissed";

    /// <summary>Scan triggers recorded with each scan.</summary>
    public const string CreatedTrigger = "created", DeployTrigger = "deploy", ManualTrigger = "manual";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Scans on request (a clone of the project's branch) and records the result.</summary>
    public Task<SuggestionScan> ScanAsync(long projectId, CancellationToken ct = default) => ScanAsync(projectId, ManualTrigger, ct);

    /// <summary>Clones the project's branch (shallow) into a scratch folder, scans its root directory and records the result.</summary>
    public async Task<SuggestionScan> ScanAsync(long projectId, string trigger, CancellationToken ct)
    {
        ProjectRecord project;
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Project {projectId} does not exist.");
        }

        var folder = Path.Combine(workspace.Root, "suggest-" + Guid.NewGuid().ToString("N"));
        try
        {
            var checkout = await git.CloneAsync(project.SourceUrl, project.Branch, null, folder, null, null, ct).ConfigureAwait(false);
            var root = RootDirectoryRules.ResolveInside(folder, project.RootDirectory);
            return await ScanCheckoutAsync(projectId, root, checkout.CommitSha, trigger, ct).ConfigureAwait(false);
        }
        finally
        {
            await WorkspaceDirectory.DeleteTreeAsync(folder, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Scans a checkout already on disk (a deployment's build context) and records the result as the project's latest scan.</summary>
    public async Task<SuggestionScan> ScanCheckoutAsync(long projectId, string directory, string commitSha, string trigger, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(trigger);
        var scan = VariableSuggester.Scan(directory, ct);
        var all = scan.Suggestions;
        var now = time.GetUtcNow();
        var json = JsonSerializer.Serialize(all.Select(StoredSuggestion.From).ToList(), Json);
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.VariableScans.SingleOrDefaultAsync(s => s.ProjectId == projectId, ct).ConfigureAwait(false);
            if (row is null)
            {
                db.VariableScans.Add(new VariableScanRecord { ProjectId = projectId, CommitSha = commitSha, Trigger = trigger, ScannedAt = now, Suggestions = json });
            }
            else
            {
                (row.CommitSha, row.Trigger, row.ScannedAt, row.Suggestions) = (commitSha, trigger, now, json);
            }

            try
            {
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            catch (DbUpdateException)
            {
                // Two scans of the same project finished together (creation and a first deploy): the other one's row stands,
                // and this result is as fresh; it is still returned.
            }
        }

        return await FilterAsync(projectId, commitSha, trigger, now, all, ct).ConfigureAwait(false) with { Skipped = scan.Skipped };
    }

    /// <summary>The latest recorded scan, filtered against the variables set and dismissed now; null when the project was never scanned.</summary>
    public async Task<SuggestionScan?> LatestAsync(long projectId, CancellationToken ct = default)
    {
        VariableScanRecord? row;
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            row = await db.VariableScans.AsNoTracking().SingleOrDefaultAsync(s => s.ProjectId == projectId, ct).ConfigureAwait(false);
        }

        if (row is null)
        {
            return null;
        }

        var all = (JsonSerializer.Deserialize<List<StoredSuggestion>>(row.Suggestions, Json) ?? []).Select(s => s.ToSuggestion()).ToList();
        return await FilterAsync(projectId, row.CommitSha, row.Trigger, row.ScannedAt, all, ct).ConfigureAwait(false);
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

    private async Task<SuggestionScan> FilterAsync(
        long projectId, string commitSha, string trigger, DateTimeOffset scannedAt, IReadOnlyList<VariableSuggestion> all, CancellationToken ct)
    {
        HashSet<string> dismissed;
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            dismissed = (await db.EnvVarAudit.Where(a => a.ProjectId == projectId && a.Action == DismissedAction).Select(a => a.Key)
                .ToListAsync(ct).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        }

        var set = (await variables.ListAsync(projectId, ct).ConfigureAwait(false)).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        var open = all.Where(s => !s.IsPlatformProvided && !set.Contains(s.Key) && !dismissed.Contains(s.Key)).ToList();
        return new SuggestionScan(commitSha, trigger, scannedAt, open, VariableSuggester.Missing(all, set));
    }

    // The stored shape is explicit, so renaming a property of the view record never makes old scans unreadable.
    private sealed record StoredSuggestion(string Key, string? Value, bool Required, List<StoredSource> Sources)
    {
        public static StoredSuggestion From(VariableSuggestion s) =>
            new(s.Key, s.SuggestedValue, s.IsRequired, s.Sources.Select(x => new StoredSource(x.Reason, x.File, x.Line)).ToList());

        public VariableSuggestion ToSuggestion() =>
            new(Key, Value, Sources.Select(x => new SuggestionSource(x.Reason, x.File, x.Line)).ToList(), Required);
    }

    private sealed record StoredSource(string Reason, string File, int Line);
}
