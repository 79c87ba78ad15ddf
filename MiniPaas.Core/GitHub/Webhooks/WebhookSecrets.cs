using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.GitHub.Webhooks;

/// <summary>Per-project webhook secrets: generated here, returned once, stored encrypted with Data Protection.</summary>
public sealed class WebhookSecrets(IDbContextFactory<MiniPaasDbContext> dbFactory, IDataProtectionProvider protection)
{
    private const string Purpose = "MiniPaas.GitHub.WebhookSecret.v1";

    /// <summary>Creates (or replaces) the project's secret and returns it in clear: the only time it is shown.</summary>
    public async Task<string> GenerateAsync(long projectId, long? hookId = null, CancellationToken ct = default)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var row = await GitHubProjectState.GetOrAddAsync(db, projectId, ct).ConfigureAwait(false);
        row.EncryptedWebhookSecret = protection.CreateProtector(Purpose).Protect(secret);
        row.HookId = hookId ?? row.HookId;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return secret;
    }

    public async Task SetHookIdAsync(long projectId, long hookId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var row = await GitHubProjectState.GetOrAddAsync(db, projectId, ct).ConfigureAwait(false);
        row.HookId = hookId;
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Stops accepting webhooks for the project (the poller takes over if auto-deploy is on).</summary>
    public async Task RemoveAsync(long projectId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        await db.ProjectGitHub.Where(p => p.ProjectId == projectId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.EncryptedWebhookSecret, (string?)null).SetProperty(p => p.HookId, (long?)null), ct)
            .ConfigureAwait(false);
    }

    /// <summary>Every project with a secret, decrypted, for checking a delivery's signature.</summary>
    public async Task<IReadOnlyList<(long ProjectId, byte[] Secret)>> LoadAllAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.ProjectGitHub.AsNoTracking().Where(p => p.EncryptedWebhookSecret != null)
            .Select(p => new { p.ProjectId, p.EncryptedWebhookSecret }).ToListAsync(ct).ConfigureAwait(false);
        var protector = protection.CreateProtector(Purpose);
        var secrets = new List<(long, byte[])>(rows.Count);
        foreach (var row in rows)
        {
            try
            {
                secrets.Add((row.ProjectId, Encoding.UTF8.GetBytes(protector.Unprotect(row.EncryptedWebhookSecret!))));
            }
            catch (CryptographicException)
            {
                // Key ring lost (restored without it): this project's deliveries fail the signature check until a new secret is made.
            }
        }

        return secrets;
    }
}

/// <summary>The project's GitHub row, created on first use.</summary>
internal static class GitHubProjectState
{
    public static async Task<ProjectGitHubRecord> GetOrAddAsync(MiniPaasDbContext db, long projectId, CancellationToken ct)
    {
        var row = await db.ProjectGitHub.SingleOrDefaultAsync(p => p.ProjectId == projectId, ct).ConfigureAwait(false);
        if (row is null)
        {
            row = new ProjectGitHubRecord { ProjectId = projectId };
            db.ProjectGitHub.Add(row);
        }

        return row;
    }
}
