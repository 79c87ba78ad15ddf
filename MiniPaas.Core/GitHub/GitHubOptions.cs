using System.Globalization;
using Microsoft.Extensions.Options;

namespace MiniPaas.Core.GitHub;

/// <summary>
/// GitHub sign-in, API and auto-deploy settings (<c>MiniPaas:GitHub</c>). Endpoints default to github.com; point them at a
/// GitHub Enterprise server (or the tests' fake) to use another. With no <see cref="ClientId"/>, MiniPaas runs in
/// single-owner local mode: no sign-in, dashboard on loopback only.
/// </summary>
public sealed class GitHubOptions
{
    public const string SectionName = "MiniPaas:GitHub";

    /// <summary>OAuth app client id; empty (default) = GitHub sign-in off, single-owner local mode.</summary>
    public string? ClientId { get; set; }

    /// <summary>OAuth app client secret; never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Who may sign in: GitHub logins or numeric user ids, separated by commas or spaces. Default: nobody.</summary>
    public string? AllowedUsers { get; set; }

    /// <summary>Members of these GitHub organisations (logins, comma/space separated) may sign in. Default: none.</summary>
    public string? AllowedOrgs { get; set; }

    /// <summary>REST API base. Default <c>https://api.github.com/</c>; GitHub Enterprise: <c>https://host/api/v3/</c>.</summary>
    public string ApiBaseUrl { get; set; } = "https://api.github.com/";

    /// <summary>Default <c>https://github.com/login/oauth/authorize</c>. Its host is also the git host that gets the owner's token.</summary>
    public string AuthorizationEndpoint { get; set; } = "https://github.com/login/oauth/authorize";

    /// <summary>Default <c>https://github.com/login/oauth/access_token</c>.</summary>
    public string TokenEndpoint { get; set; } = "https://github.com/login/oauth/access_token";

    /// <summary>Default <c>https://api.github.com/user</c>.</summary>
    public string UserInformationEndpoint { get; set; } = "https://api.github.com/user";

    /// <summary>How often auto-deploy projects' branches are checked with <c>git ls-remote</c>. Default 30 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often projects that receive webhooks are polled too, as a safety net for a delivery GitHub never retried (a push
    /// made while MiniPaas was down, a 5xx nobody redelivered). Default 15 minutes.
    /// </summary>
    public TimeSpan WebhookSafetyPollInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often a signed-in dashboard session is checked against the allow lists. Default 1 minute.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Public base URL of this MiniPaas (e.g. <c>https://paas.example.com/</c>); when set, webhooks can be created on GitHub. Default: none.</summary>
    public string? PublicUrl { get; set; }

    public bool IsSignInConfigured => !string.IsNullOrWhiteSpace(ClientId);

    public IReadOnlyList<string> AllowedUserList => Split(AllowedUsers);

    public IReadOnlyList<string> AllowedOrgList => Split(AllowedOrgs);

    /// <summary>Where git repositories of this GitHub live (scheme, host and port of the authorization endpoint).</summary>
    public Uri GitHost => new(new Uri(AuthorizationEndpoint).GetLeftPart(UriPartial.Authority));

    private static string[] Split(string? list) =>
        (list ?? "").Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Checks <see cref="GitHubOptions"/>: absolute endpoints, a secret and an allow list whenever sign-in is on.</summary>
public sealed class GitHubOptionsValidator : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        RequireUrl(errors, "ApiBaseUrl", options.ApiBaseUrl);
        RequireUrl(errors, "AuthorizationEndpoint", options.AuthorizationEndpoint);
        RequireUrl(errors, "TokenEndpoint", options.TokenEndpoint);
        RequireUrl(errors, "UserInformationEndpoint", options.UserInformationEndpoint);
        if (!string.IsNullOrWhiteSpace(options.PublicUrl))
        {
            RequireUrl(errors, "PublicUrl", options.PublicUrl);
        }

        if (options.PollInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("MiniPaas:GitHub:PollInterval must be at least one second.");
        }

        if (options.WebhookSafetyPollInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("MiniPaas:GitHub:WebhookSafetyPollInterval must be at least one second.");
        }

        if (options.RevalidationInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add("MiniPaas:GitHub:RevalidationInterval must be at least one second.");
        }

        if (options.IsSignInConfigured)
        {
            if (string.IsNullOrWhiteSpace(options.ClientSecret))
            {
                errors.Add("MiniPaas:GitHub:ClientSecret is required when MiniPaas:GitHub:ClientId is set.");
            }

            // Sign-in without an allow list would let every GitHub account in; refuse to start instead of guessing.
            if (options.AllowedUserList.Count == 0 && options.AllowedOrgList.Count == 0)
            {
                errors.Add("MiniPaas:GitHub:AllowedUsers or MiniPaas:GitHub:AllowedOrgs must name at least one user or organisation when GitHub sign-in is on.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void RequireUrl(List<string> errors, string key, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"MiniPaas:GitHub:{key} '{value}' must be an absolute http(s) URL."));
        }
    }
}
