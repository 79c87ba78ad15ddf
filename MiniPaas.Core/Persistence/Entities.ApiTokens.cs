namespace MiniPaas.Core.Persistence;

/// <summary>
/// A token for the automation API, created on the Settings page. Only the SHA-256 of the token is kept: the token is
/// 32 random bytes, so a fast hash is enough (nothing to brute-force), and the plain token is shown once at creation.
/// </summary>
public sealed class ApiTokenRecord
{
    public long Id { get; set; }

    /// <summary>What the owner called it (e.g. "CI").</summary>
    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole token.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The first characters of the token, so the owner can tell tokens apart without the secret.</summary>
    public required string Prefix { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>What the token may do (<c>read</c>, <c>deploy</c>, <c>admin</c>); tokens made before scopes existed are <c>admin</c>.</summary>
    public MiniPaas.Core.ApiTokens.ApiScope Scope { get; set; } = MiniPaas.Core.ApiTokens.ApiScope.Admin;

    /// <summary>From when the token is refused (401); null when it never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>When a request last authenticated with it (updated at most once a minute); null when never used.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}
