using MiniPaas.Core.Variables;

namespace MiniPaas.Web.Api.Contracts;

/// <summary>
/// The body of <c>POST /api/projects/{id}/env</c> and <c>PUT /api/projects/{id}/env/{key}</c> (where <c>key</c> may be left
/// out). <see cref="Secret"/> left out: a new variable is a secret when its key or value looks secret, an existing one keeps
/// its flag. A PUT with <see cref="Secret"/> and no <see cref="Value"/> changes only the flag.
/// </summary>
public sealed record EnvVarInput(string? Key, string? Value, bool? Secret = null);

/// <summary>
/// A variable. A <see cref="Secret"/>'s <see cref="Value"/> is <see cref="EnvVarDto.Mask"/> unless asked with
/// <c>?reveal=true</c>; a plain configuration value is always returned as it is. Null when it cannot be decrypted.
/// </summary>
public sealed record EnvVarDto(string Key, string? Value, bool Secret, bool Masked, bool CanDecrypt, DateTimeOffset UpdatedAt)
{
    public const string Mask = "********";

    internal static EnvVarDto From(ProjectVariable v, bool reveal)
    {
        var masked = v.CanDecrypt && v.IsSecret && !reveal;
        return new(v.Key, !v.CanDecrypt ? null : masked ? Mask : v.Value, v.IsSecret, masked, v.CanDecrypt, v.UpdatedAt);
    }
}

/// <summary>The answer to a change: the variable (masked unless revealed) and warnings about risky keys.</summary>
public sealed record EnvVarChangeDto(EnvVarDto Variable, IReadOnlyList<string> Warnings);

/// <summary>A variable the repository's code seems to need. <see cref="SuggestedValue"/> is masked unless <c>?reveal=true</c>.</summary>
public sealed record EnvSuggestionDto(string Key, string? SuggestedValue, bool Required, bool SecretLike, IReadOnlyList<string> Reasons)
{
    internal static EnvSuggestionDto From(VariableSuggestion s, bool reveal) => new(
        s.Key, s.SuggestedValue is null ? null : reveal ? s.SuggestedValue : EnvVarDto.Mask, s.IsRequired, s.IsSecretLike,
        [.. s.Sources.Select(source => source.ToString())]);
}

/// <summary>The answer of <c>GET /api/projects/{id}/env/suggest</c>: open suggestions and required keys still missing, at the scanned commit.</summary>
public sealed record EnvSuggestionsDto(string CommitSha, IReadOnlyList<EnvSuggestionDto> Suggestions, IReadOnlyList<EnvSuggestionDto> Missing);
