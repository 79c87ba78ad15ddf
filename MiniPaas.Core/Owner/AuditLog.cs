using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Owner;

/// <summary>The actions the audit log records (stored as these strings).</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string SignInLocked = "sign-in-locked";
    public const string SignOut = "sign-out";
    public const string OwnerSetUp = "owner-set-up";
    public const string OwnerReset = "owner-reset";
    public const string ApiTokenCreated = "api-token-created";
    public const string ApiTokenRevoked = "api-token-revoked";
    public const string ProjectDeleted = "project-deleted";
    public const string VariableRevealed = "variable-revealed";
}

/// <summary>An audit entry as the Settings page shows it.</summary>
public sealed record AuditEntryView(long Id, DateTimeOffset At, string Action, string Actor, string? Target, string? RemoteAddress);

/// <summary>
/// Owner actions in the database. Callers pass names and keys only — never a password, token or variable value — so the
/// log can be shown and exported as it is.
/// </summary>
public sealed class AuditLog(IDbContextFactory<MiniPaasDbContext> contexts, TimeProvider time)
{
    private const int MaxText = 255;

    public async Task RecordAsync(string action, string actor, string? target = null, string? remoteAddress = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            db.AuditLog.Add(new AuditEntryRecord
            {
                At = time.GetUtcNow(),
                Action = action,
                Actor = Truncate(actor)!,
                Target = Truncate(target),
                RemoteAddress = Truncate(remoteAddress),
            });
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The newest entries first.</summary>
    public async Task<IReadOnlyList<AuditEntryView>> ListAsync(int limit = 100, CancellationToken ct = default)
    {
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            return await db.AuditLog.AsNoTracking()
                .OrderByDescending(a => a.Id)
                .Take(limit)
                .Select(a => new AuditEntryView(a.Id, a.At, a.Action, a.Actor, a.Target, a.RemoteAddress))
                .ToListAsync(ct).ConfigureAwait(false);
        }
    }

    private static string? Truncate(string? text) => text is { Length: > MaxText } ? text[..MaxText] : text;
}
