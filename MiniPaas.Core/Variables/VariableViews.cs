namespace MiniPaas.Core.Variables;

/// <summary>
/// A variable as the dashboard shows it. <see cref="Value"/> is null when <see cref="CanDecrypt"/> is false. Every value is
/// treated as a secret (masked until revealed, never logged); <see cref="IsBuildTime"/> variables are also given to the
/// image build as build arguments.
/// </summary>
public sealed record ProjectVariable(string Key, string? Value, bool CanDecrypt, bool IsBuildTime, DateTimeOffset UpdatedAt)
{
    /// <summary>What to show instead of a value that cannot be decrypted.</summary>
    public const string CannotDecrypt = "cannot decrypt";
}

/// <summary>The outcome of a change: refused with <see cref="Error"/>, or done with possible <see cref="Warnings"/>.</summary>
public sealed record VariableChangeResult(bool Succeeded, string? Error, IReadOnlyList<string> Warnings)
{
    public static VariableChangeResult Refused(string error) => new(false, error, []);
}

/// <summary>One audited change: who changed which key and when (never the value).</summary>
public sealed record VariableAuditEntry(string Key, string Action, string Actor, DateTimeOffset At);
