using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.ApiTokens;

/// <summary>A token as the Settings page lists it (never the secret).</summary>
public sealed record ApiTokenView(
    long Id, string Name, string Prefix, ApiScope Scope, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt)
{
    /// <summary>Whether the token is refused at <paramref name="now"/> because its expiry has passed.</summary>
    public bool IsExpiredAt(DateTimeOffset now) => ExpiresAt <= now;
}

/// <summary>A token just created: <see cref="Token"/> is shown once and cannot be read again.</summary>
public sealed record CreatedApiToken(ApiTokenView View, string Token);

/// <summary>Who a presented token belongs to: a stored token (with its id) or one from configuration (id null), and what it may do.</summary>
public sealed record ApiCaller(long? TokenId, string Name, ApiScope Scope);

/// <summary>The outcome of checking a presented token: its caller, or null with whether it was refused for being expired.</summary>
public sealed record ApiTokenCheck(ApiCaller? Caller, bool IsExpired)
{
    public static ApiTokenCheck Unknown { get; } = new(null, false);

    public static ApiTokenCheck Expired { get; } = new(null, true);
}

/// <summary>
/// Creates, lists, revokes and checks API tokens. Stored tokens are kept as SHA-256 hashes; tokens from
/// <c>MiniPaas:Api:Tokens</c> are hashed at start-up and compared in constant time; they have the <see cref="ApiScope.Admin"/>
/// scope and never expire (whoever can set MiniPaas's configuration already controls it entirely).
/// </summary>
public sealed partial class ApiTokenService
{
    public const int MaxNameLength = 100;

    /// <summary>Marks MiniPaas tokens, so secret scanners and people recognise them.</summary>
    public const string TokenPrefix = "mpk_";

    private const int PrefixLength = 12;

    // Writing last-used on every request would turn every API call into a database write.
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly IDbContextFactory<MiniPaasDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiTokenService> _logger;
    private readonly byte[][] _configuredHashes;

    public ApiTokenService(IDbContextFactory<MiniPaasDbContext> dbFactory, IOptions<ApiOptions> options, TimeProvider time, ILogger<ApiTokenService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dbFactory = dbFactory;
        _time = time;
        _logger = logger;
        _configuredHashes = [.. options.Value.Tokens.Where(t => !string.IsNullOrEmpty(t)).Select(t => SHA256.HashData(Encoding.UTF8.GetBytes(t)))];
    }

    /// <summary>Checks a name for a new token; null when it is fine.</summary>
    public static string? CheckName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return "Enter a name for the token (what will use it, e.g. CI).";
        }

        return trimmed.Length > MaxNameLength ? $"The name is at most {MaxNameLength} characters." : null;
    }

    /// <summary>Checks an expiry for a new token; null when it is fine (none, or in the future).</summary>
    public string? CheckExpiry(DateTimeOffset? expiresAt) =>
        expiresAt <= _time.GetUtcNow() ? "The expiry must be in the future." : null;

    /// <summary>Creates a token: 32 random bytes, URL-safe base64, behind <see cref="TokenPrefix"/>.</summary>
    /// <param name="name">What will use it (see <see cref="CheckName"/>).</param>
    /// <param name="scope">What it may do.</param>
    /// <param name="expiresAt">From when it is refused; null for never.</param>
    /// <param name="ct">Cancels the database write.</param>
    public async Task<CreatedApiToken> CreateAsync(string name, ApiScope scope, DateTimeOffset? expiresAt = null, CancellationToken ct = default)
    {
        if (CheckName(name) is { } error)
        {
            throw new ArgumentException(error, nameof(name));
        }

        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown API scope.");
        }

        if (CheckExpiry(expiresAt) is { } expiryError)
        {
            throw new ArgumentException(expiryError, nameof(expiresAt));
        }

        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var record = new ApiTokenRecord
        {
            Name = name.Trim(),
            TokenHash = Convert.ToHexStringLower(Hash(token)),
            Prefix = token[..PrefixLength],
            Scope = scope,
            CreatedAt = _time.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        db.ApiTokens.Add(record);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        LogCreated(_logger, record.Name, record.Prefix, scope.Name());
        return new CreatedApiToken(ToView(record), token);
    }

    /// <summary>Stored tokens, newest first.</summary>
    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.ApiTokens.AsNoTracking().OrderByDescending(t => t.Id).ToListAsync(ct).ConfigureAwait(false);
        return [.. rows.Select(ToView)];
    }

    /// <summary>Revokes a token at once (the next request with it gets 401); false when it did not exist.</summary>
    public async Task<bool> RevokeAsync(long tokenId, CancellationToken ct = default)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var removed = await db.ApiTokens.Where(t => t.Id == tokenId).ExecuteDeleteAsync(ct).ConfigureAwait(false) > 0;
        if (removed)
        {
            LogRevoked(_logger, tokenId);
        }

        return removed;
    }

    /// <summary>
    /// The caller a presented token belongs to, or why there is none (unknown or revoked, expired). Records the last use
    /// of a token it accepts; an expired token's last use stays what it was.
    /// </summary>
    public async Task<ApiTokenCheck> CheckAsync(string presented, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512)
        {
            return ApiTokenCheck.Unknown;
        }

        var hash = Hash(presented);
        for (var i = 0; i < _configuredHashes.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, _configuredHashes[i]))
            {
                return new ApiTokenCheck(new ApiCaller(null, $"configured token {i}", ApiScope.Admin), false);
            }
        }

        if (!presented.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return ApiTokenCheck.Unknown;
        }

        var hex = Convert.ToHexStringLower(hash);
        await using var db = await _dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var token = await db.ApiTokens.AsNoTracking().Where(t => t.TokenHash == hex)
            .Select(t => new { t.Id, t.Name, t.Scope, t.ExpiresAt, t.LastUsedAt }).SingleOrDefaultAsync(ct).ConfigureAwait(false);
        if (token is null)
        {
            return ApiTokenCheck.Unknown;
        }

        var now = _time.GetUtcNow();
        if (token.ExpiresAt <= now)
        {
            return ApiTokenCheck.Expired;
        }

        if (token.LastUsedAt is null || now - token.LastUsedAt >= LastUsedResolution)
        {
            await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), ct).ConfigureAwait(false);
        }

        return new ApiTokenCheck(new ApiCaller(token.Id, token.Name, token.Scope), false);
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static ApiTokenView ToView(ApiTokenRecord r) => new(r.Id, r.Name, r.Prefix, r.Scope, r.CreatedAt, r.ExpiresAt, r.LastUsedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "API token {Name} ({Prefix}…) created with scope {Scope}")]
    private static partial void LogCreated(ILogger logger, string name, string prefix, string scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "API token {TokenId} revoked")]
    private static partial void LogRevoked(ILogger logger, long tokenId);
}
