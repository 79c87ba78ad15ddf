namespace MiniPaas.Core.Variables;

/// <summary>
/// A variable as the dashboard shows it. <see cref="Value"/> is null when <see cref="CanDecrypt"/> is false. Values are never
/// logged; <see cref="IsSecret"/> ones are also masked in logs and shown masked until revealed. <see cref="IsBuildTime"/>
/// variables are also given to the image build as build arguments.
/// </summary>
public sealed record ProjectVariable(string Key, string? Value, bool CanDecrypt, bool IsBuildTime, DateTimeOffset UpdatedAt, bool IsSecret = true)
{
    /// <summary>What to show instead of a value that cannot be decrypted.</summary>
    public const string CannotDecrypt = "cannot decrypt";

    /// <summary>
    /// True for a secret whose value is too short for log masking (<see cref="Logs.SecretMasker.MinimumLength"/>): masking
    /// every occurrence of a 3-character text would garble logs without protecting it.
    /// </summary>
    public bool IsTooShortToMask => IsSecret && Value is { } value && Logs.SecretMasker.IsTooShort(value);
}

/// <summary>
/// One variable to set. <see cref="IsSecret"/> given is the user's choice; null means: a new variable gets
/// <see cref="SecretRule.LooksSecret"/>, an existing one keeps its flag unless its new value holds a URL with a password
/// (which makes it secret: editing a value must never expose a password in logs).
/// </summary>
public sealed record VariableInput(string Key, string Value, bool? IsSecret = null);

/// <summary>The outcome of a change: refused with <see cref="Error"/>, or done with possible <see cref="Warnings"/>.</summary>
public sealed record VariableChangeResult(bool Succeeded, string? Error, IReadOnlyList<string> Warnings)
{
    public static VariableChangeResult Refused(string error) => new(false, error, []);
}

/// <summary>One audited change: who changed which key and when (never the value).</summary>
public sealed record VariableAuditEntry(string Key, string Action, string Actor, DateTimeOffset At);
