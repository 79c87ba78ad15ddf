using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Owner;

/// <summary>The owner's password sign-in (<c>MiniPaas:Auth</c>): set-up link lifetime, lockout, rate limit.</summary>
public sealed class OwnerOptions
{
    public const string SectionName = "MiniPaas:Auth";

    /// <summary>How long a printed set-up link works. Default 30 minutes; a restart or <c>reset-owner</c> prints a new one.</summary>
    public TimeSpan SetupTokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Wrong passwords in a row before sign-in is locked. Default 5.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long sign-in stays locked after <see cref="MaxFailedSignIns"/>. Default 15 minutes.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in and set-up form posts accepted per client address per minute (429 beyond). Default 10.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Shortest password accepted at set-up. Default 12.</summary>
    public int MinPasswordLength { get; set; } = 12;

    /// <summary>With GitHub sign-in configured, also accept the owner password (a fallback when GitHub is unreachable). Default false.</summary>
    public bool AllowPasswordWithGitHub { get; set; }

    /// <summary>Base of the printed set-up link (e.g. <c>https://paas.example.com/</c>). Default: the dashboard's first listening address.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>How often an open dashboard circuit re-checks that its owner session is still valid. Default 1 minute.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Checks <see cref="OwnerOptions"/> and reports every problem at once.</summary>
public sealed class OwnerOptionsValidator : IValidateOptions<OwnerOptions>
{
    public ValidateOptionsResult Validate(string? name, OwnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        OptionsErrors.RequirePositive(errors, "MiniPaas:Auth:SetupTokenLifetime", options.SetupTokenLifetime);
        OptionsErrors.RequirePositive(errors, "MiniPaas:Auth:LockoutDuration", options.LockoutDuration);
        OptionsErrors.RequirePositive(errors, "MiniPaas:Auth:RevalidationInterval", options.RevalidationInterval);
        if (options.MaxFailedSignIns < 1)
        {
            errors.Add("MiniPaas:Auth:MaxFailedSignIns must be at least 1.");
        }

        if (options.SignInAttemptsPerMinute < 1)
        {
            errors.Add("MiniPaas:Auth:SignInAttemptsPerMinute must be at least 1.");
        }

        if (options.MinPasswordLength is < 8 or > 128)
        {
            errors.Add("MiniPaas:Auth:MinPasswordLength must be between 8 and 128.");
        }

        if (!string.IsNullOrWhiteSpace(options.PublicUrl)
            && (!Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"MiniPaas:Auth:PublicUrl '{options.PublicUrl}' must be an absolute http(s) URL.");
        }

        return OptionsErrors.ToResult(errors);
    }
}
