namespace MiniPaas.Core.Persistence;

/// <summary>
/// The single owner's password sign-in (one row, <see cref="SingletonId"/>). Holds only hashes: the password through ASP.NET
/// Core's <c>PasswordHasher</c>, the one-time set-up token as SHA-256 (32 random bytes, nothing to brute-force).
/// </summary>
public sealed class OwnerAccountRecord
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>Null until the owner sets a password through the set-up link (and again after <c>reset-owner</c>).</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Lower-case hex SHA-256 of the current set-up token; null when none is outstanding.</summary>
    public string? SetupTokenHash { get; set; }

    public DateTimeOffset? SetupTokenExpiresAt { get; set; }

    /// <summary>True when <c>reset-owner</c> issued the outstanding token: a start-up then keeps it rather than replacing it.</summary>
    public bool SetupTokenFromReset { get; set; }

    /// <summary>Wrong passwords since the last success or lockout.</summary>
    public int FailedSignIns { get; set; }

    /// <summary>Sign-in is refused until then, even with the right password.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Bumped when the password is set or reset: sessions signed in under an older version are rejected.</summary>
    public int SessionVersion { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One owner action (sign-in, token created, project deleted, ...). Never holds a secret: names and ids only.</summary>
public sealed class AuditEntryRecord
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>One of <c>AuditActions</c>.</summary>
    public required string Action { get; set; }

    /// <summary>Who: <c>owner</c>, a GitHub login, or <c>cli</c>.</summary>
    public required string Actor { get; set; }

    /// <summary>What it was about (a token's or project's name, a variable's key); never a value.</summary>
    public string? Target { get; set; }

    public string? RemoteAddress { get; set; }
}
