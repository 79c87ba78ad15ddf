using System.Security.Cryptography;

namespace MiniPaas.Core.Variables;

/// <summary>Where and why a variable was suggested: <c>File</c> is relative to the scanned folder with <c>/</c> separators; <c>Line</c> is 1-based.</summary>
public sealed record SuggestionSource(string Reason, string File, int Line)
{
    public override string ToString() => $"{Reason} ({File}:{Line})";
}

/// <summary>
/// A variable the code seems to need. <see cref="SuggestedValue"/> comes from an example file or a framework template
/// (null when there is nothing sensible to propose). <see cref="IsRequired"/> is true when some code reads it without a
/// default; <see cref="IsPlatformProvided"/> when MiniPaas sets it itself (<c>PORT</c>).
/// </summary>
public sealed record VariableSuggestion(string Key, string? SuggestedValue, IReadOnlyList<SuggestionSource> Sources, bool IsRequired)
{
    /// <summary>The first reason found, for a one-line display.</summary>
    public string Reason => Sources[0].ToString();

    public bool IsPlatformProvided => VariableRules.IsPlatformOwned(Key);

    /// <summary>Keys that look like secrets (<see cref="SecretRule.KeyLooksSecret"/>) deserve a generated strong value rather than a typed one.</summary>
    public bool IsSecretLike => SecretRule.KeyLooksSecret(Key);

    /// <summary>A strong random value for a secret: 32 random bytes as URL-safe base64 (43 characters, no quoting needed anywhere).</summary>
    public static string GenerateSecretValue() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A scan's suggestions, and the checkout files it would not read (links out of the checkout, special files).</summary>
public sealed record SuggesterScan(IReadOnlyList<VariableSuggestion> Suggestions, IReadOnlyList<Checkouts.CheckoutNote> Skipped);
