using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.GitHub;

/// <summary>Who GitHub says signed in.</summary>
public sealed record GitHubIdentity(long GitHubId, string Login, string? Name, string? AvatarUrl);

/// <summary>
/// Signed-in GitHub users and their access tokens. Tokens are encrypted with Data Protection (key ring in the database)
/// before they reach a row, and decrypted only to call GitHub or to hand to git through its environment.
/// </summary>
public sealed class GitHubUsers(IDbContextFactory<MiniPaasDbContext> dbFactory, IDataProtectionProvider protection, TimeProvider timeProvider)
{
    private const string Purpose = "MiniPaas.GitHub.AccessToken.v1";

    /// <summary>Creates or updates the user by GitHub id and stores the token encrypted; returns the local user id.</summary>
    public async Task<long> RecordSignInAsync(GitHubIdentity identity, string accessToken, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        var encrypted = protection.CreateProtector(Purpose).Protect(accessToken);
        // Two sign-ins of the same new user can race; the unique index on github_id makes the second one an update.
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
            var user = await db.Users.SingleOrDefaultAsync(u => u.GitHubId == identity.GitHubId, ct).ConfigureAwait(false);
            var now = timeProvider.GetUtcNow();
            if (user is null)
            {
                user = new UserRecord { GitHubId = identity.GitHubId, Login = identity.Login, CreatedAt = now };
                db.Users.Add(user);
            }

            user.Login = identity.Login;
            user.Name = identity.Name;
            user.AvatarUrl = identity.AvatarUrl;
            user.EncryptedAccessToken = encrypted;
            user.LastSignInAt = now;
            try
            {
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                return user.Id;
            }
            catch (DbUpdateException ex) when (attempt == 0 && ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
            {
            }
        }
    }

    public async Task<UserRecord?> FindAsync(long userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        return await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct).ConfigureAwait(false);
    }

    /// <summary>The user's GitHub token in clear, or null when there is none (or the key ring lost it).</summary>
    public async Task<string?> GetAccessTokenAsync(long userId, CancellationToken ct = default)
    {
        var user = await FindAsync(userId, ct).ConfigureAwait(false);
        return Unprotect(user?.EncryptedAccessToken);
    }

    internal string? Unprotect(string? encrypted)
    {
        if (string.IsNullOrEmpty(encrypted))
        {
            return null;
        }

        try
        {
            return protection.CreateProtector(Purpose).Unprotect(encrypted);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // A restored database without its key ring: the user signs in again.
            return null;
        }
    }
}
