using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Owner;

/// <summary>Whether the owner has a password, and the version sessions must carry.</summary>
public sealed record OwnerState(bool HasPassword, int SessionVersion);

public enum OwnerSignInStatus
{
    Succeeded,
    WrongPassword,
    LockedOut,
    NotSetUp,
}

/// <summary>The outcome of a password sign-in: the session version to put in the cookie, or why not.</summary>
public sealed record OwnerSignInResult(OwnerSignInStatus Status, int SessionVersion = 0, DateTimeOffset? LockedUntil = null);

/// <summary>The outcome of the set-up form: the new session version, or the error to show.</summary>
public sealed record OwnerSetupResult(bool Succeeded, string? Error = null, int SessionVersion = 0);

/// <summary>
/// The owner account: one-time set-up tokens, the password (ASP.NET Core <see cref="PasswordHasher{TUser}"/>), and lockout after
/// repeated wrong passwords. Everything is in the database, so <c>reset-owner</c> run from another process takes effect here.
/// </summary>
public sealed class OwnerAccounts(IDbContextFactory<MiniPaasDbContext> contexts, TimeProvider time, IOptions<OwnerOptions> options) : IDisposable
{
    private static readonly PasswordHasher<OwnerAccountRecord> Hasher = new();

    // One process signs in at a time: the failure count is read, changed and written back, and concurrent wrong guesses
    // must each count. The CLI reset is the only other writer, and it replaces the row's state wholesale.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private (OwnerState State, DateTimeOffset At)? _cached;
    private int _generation;

    /// <summary>How long <see cref="GetStateAsync"/> may answer from memory.</summary>
    public static readonly TimeSpan StateCacheDuration = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The current state, read at most every <see cref="StateCacheDuration"/>: every dashboard request checks its session
    /// against it. Changes made by this process are seen at once, a <c>reset-owner</c> from another one within that time.
    /// </summary>
    public async Task<OwnerState> GetStateAsync(CancellationToken ct = default)
    {
        if (_cached is { } cached && time.GetUtcNow() - cached.At < StateCacheDuration)
        {
            return cached.State;
        }

        try
        {
            return await ReadStateAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && _cached is { } lastKnown)
        {
            // A reset or a new password is itself a database write, so while PostgreSQL is unreachable the last state read
            // is still the truth: signed-in sessions keep the dashboard (with its outage banner) instead of failing.
            return lastKnown.State;
        }
    }

    private async Task<OwnerState> ReadStateAsync(CancellationToken ct)
    {
        // A write that lands while this read is in flight must not be overwritten in the cache by the older row.
        var generation = Volatile.Read(ref _generation);
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.OwnerAccounts.AsNoTracking().SingleOrDefaultAsync(o => o.Id == OwnerAccountRecord.SingletonId, ct).ConfigureAwait(false);
            var state = new OwnerState(row?.PasswordHash is not null, row?.SessionVersion ?? 0);
            if (Volatile.Read(ref _generation) == generation)
            {
                _cached = (state, time.GetUtcNow());
            }

            return state;
        }
    }

    /// <summary>
    /// Creates a new set-up token (the previous one stops working) valid for <see cref="OwnerOptions.SetupTokenLifetime"/>.
    /// With <paramref name="clearPassword"/> (reset) the password is removed and every session signed out.
    /// </summary>
    /// <returns>The token, to be shown once; only its hash is stored.</returns>
    public async Task<string> IssueSetupTokenAsync(bool clearPassword, CancellationToken ct = default)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await UpdateAsync(row =>
        {
            row.SetupTokenHash = Hash(token);
            row.SetupTokenExpiresAt = time.GetUtcNow() + options.Value.SetupTokenLifetime;
            row.SetupTokenFromReset = clearPassword;
            if (clearPassword)
            {
                row.PasswordHash = null;
                row.SessionVersion++;
                row.FailedSignIns = 0;
                row.LockedUntil = null;
            }
        }, ct).ConfigureAwait(false);
        return token;
    }

    /// <summary>When the token printed by <c>reset-owner</c> is still outstanding, its expiry; otherwise null.</summary>
    public async Task<DateTimeOffset?> GetPendingResetExpiryAsync(CancellationToken ct = default)
    {
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.OwnerAccounts.AsNoTracking().SingleOrDefaultAsync(o => o.Id == OwnerAccountRecord.SingletonId, ct).ConfigureAwait(false);
            return row is { SetupTokenFromReset: true, SetupTokenHash: not null, SetupTokenExpiresAt: { } expires } && expires > time.GetUtcNow() ? expires : null;
        }
    }

    public async Task<bool> IsSetupTokenValidAsync(string? token, CancellationToken ct = default)
    {
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.OwnerAccounts.AsNoTracking().SingleOrDefaultAsync(o => o.Id == OwnerAccountRecord.SingletonId, ct).ConfigureAwait(false);
            return row is not null && IsTokenValid(row, token);
        }
    }

    /// <summary>Sets the owner password with a valid set-up token; the token is used up and older sessions end.</summary>
    public async Task<OwnerSetupResult> CompleteSetupAsync(string? token, string? password, CancellationToken ct = default)
    {
        if (CheckPassword(password) is { } error)
        {
            return new OwnerSetupResult(false, error);
        }

        OwnerSetupResult? result = null;
        await UpdateAsync(row =>
        {
            if (!IsTokenValid(row, token))
            {
                result = new OwnerSetupResult(false, "This set-up link is invalid or has expired. Restart MiniPaas or run reset-owner for a new one.");
                return;
            }

            row.PasswordHash = Hasher.HashPassword(row, password!);
            row.SetupTokenHash = null;
            row.SetupTokenExpiresAt = null;
            row.SetupTokenFromReset = false;
            row.FailedSignIns = 0;
            row.LockedUntil = null;
            row.SessionVersion++;
            result = new OwnerSetupResult(true, SessionVersion: row.SessionVersion);
        }, ct).ConfigureAwait(false);
        return result!;
    }

    /// <summary>Checks the password; <see cref="OwnerOptions.MaxFailedSignIns"/> wrong ones in a row lock sign-in for <see cref="OwnerOptions.LockoutDuration"/>.</summary>
    public async Task<OwnerSignInResult> SignInAsync(string? password, CancellationToken ct = default)
    {
        OwnerSignInResult? result = null;
        await UpdateAsync(row =>
        {
            var now = time.GetUtcNow();
            if (row.PasswordHash is null)
            {
                result = new OwnerSignInResult(OwnerSignInStatus.NotSetUp);
                return;
            }

            if (row.LockedUntil is { } until && until > now)
            {
                result = new OwnerSignInResult(OwnerSignInStatus.LockedOut, LockedUntil: until);
                return;
            }

            var verified = string.IsNullOrEmpty(password) ? PasswordVerificationResult.Failed : Hasher.VerifyHashedPassword(row, row.PasswordHash, password);
            if (verified == PasswordVerificationResult.Failed)
            {
                row.FailedSignIns++;
                if (row.FailedSignIns >= options.Value.MaxFailedSignIns)
                {
                    row.FailedSignIns = 0;
                    row.LockedUntil = now + options.Value.LockoutDuration;
                    result = new OwnerSignInResult(OwnerSignInStatus.LockedOut, LockedUntil: row.LockedUntil);
                    return;
                }

                result = new OwnerSignInResult(OwnerSignInStatus.WrongPassword);
                return;
            }

            if (verified == PasswordVerificationResult.SuccessRehashNeeded)
            {
                row.PasswordHash = Hasher.HashPassword(row, password!);
            }

            row.FailedSignIns = 0;
            row.LockedUntil = null;
            result = new OwnerSignInResult(OwnerSignInStatus.Succeeded, row.SessionVersion);
        }, ct).ConfigureAwait(false);
        return result!;
    }

    /// <summary>Null when acceptable, else the message to show.</summary>
    public string? CheckPassword(string? password) =>
        string.IsNullOrEmpty(password) || password.Length < options.Value.MinPasswordLength
            ? $"Choose a password of at least {options.Value.MinPasswordLength} characters."
            : password.Length > 1024 ? "That password is too long (1024 characters at most)." : null;

    private bool IsTokenValid(OwnerAccountRecord row, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 256 || row.SetupTokenHash is null
            || row.SetupTokenExpiresAt is not { } expires || expires <= time.GetUtcNow())
        {
            return false;
        }

        // Both sides are SHA-256 digests of the same length: the comparison time says nothing about the stored token.
        return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Hash(token)), Convert.FromHexString(row.SetupTokenHash));
    }

    private async Task UpdateAsync(Action<OwnerAccountRecord> change, CancellationToken ct)
    {
        await _writing.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            await using (db.ConfigureAwait(false))
            {
                var row = await db.OwnerAccounts.SingleOrDefaultAsync(o => o.Id == OwnerAccountRecord.SingletonId, ct).ConfigureAwait(false);
                if (row is null)
                {
                    row = new OwnerAccountRecord();
                    db.OwnerAccounts.Add(row);
                }

                change(row);
                row.UpdatedAt = time.GetUtcNow();
                Interlocked.Increment(ref _generation);
                _cached = null;
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
                Interlocked.Increment(ref _generation);
                // The row just written is the current state: the next check needs no read (and has one to fall back on).
                _cached = (new OwnerState(row.PasswordHash is not null, row.SessionVersion), time.GetUtcNow());
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public void Dispose() => _writing.Dispose();
}
