using Microsoft.Extensions.Options;

namespace MiniPaas.Core.ApiTokens;

/// <summary>Settings of the automation API (<c>MiniPaas:Api</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "MiniPaas:Api";

    /// <summary>Shortest configured token accepted: shorter ones could be guessed.</summary>
    public const int MinTokenLength = 24;

    /// <summary>
    /// Tokens accepted without creating them on the Settings page, for headless set-ups and CI
    /// (<c>MiniPaas__Api__Tokens__0=...</c>). Each at least 24 characters without whitespace. Default: none.
    /// </summary>
    public List<string> Tokens { get; set; } = [];
}

/// <summary>Checks <see cref="ApiOptions"/>: every configured token long enough and free of whitespace (never echoing the token).</summary>
public sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        for (var i = 0; i < options.Tokens.Count; i++)
        {
            var token = options.Tokens[i];
            if (string.IsNullOrEmpty(token) || token.Length < ApiOptions.MinTokenLength)
            {
                errors.Add($"MiniPaas:Api:Tokens:{i} must be at least {ApiOptions.MinTokenLength} characters long (use a random value).");
            }
            else if (token.Any(char.IsWhiteSpace))
            {
                errors.Add($"MiniPaas:Api:Tokens:{i} must not contain whitespace.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
