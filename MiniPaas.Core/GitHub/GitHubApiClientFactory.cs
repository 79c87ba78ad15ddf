using Microsoft.Extensions.Options;
using Octokit;

namespace MiniPaas.Core.GitHub;

/// <summary>Octokit clients against <see cref="GitHubOptions.ApiBaseUrl"/> (github.com, GitHub Enterprise or the tests' fake).</summary>
public sealed class GitHubApiClientFactory(IOptionsMonitor<GitHubOptions> options)
{
    private static readonly ProductHeaderValue Product = new("MiniPaas");

    public IGitHubClient Create(string accessToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(accessToken);
        // Octokit maps github.com to api.github.com and appends /api/v3/ to any other host, so an Enterprise
        // base given as https://host/api/v3/ and the plain host both end up at the same API root.
        return new GitHubClient(Product, new Uri(options.CurrentValue.ApiBaseUrl)) { Credentials = new Credentials(accessToken) };
    }

    /// <summary>A message for a person from an Octokit failure (rate limit, refused token, GitHub unreachable...).</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            RateLimitExceededException rate => $"GitHub's API rate limit is reached ({rate.Limit} requests per hour); it resets at {rate.Reset.UtcDateTime:HH:mm} UTC.",
            SecondaryRateLimitExceededException => "GitHub asked MiniPaas to slow down (secondary rate limit); try again in a minute.",
            AuthorizationException => "GitHub refused the stored token; sign out and connect with GitHub again.",
            NotFoundException => "GitHub says this was not found (or the token may not see it).",
            ForbiddenException forbidden => $"GitHub refused the request: {forbidden.Message}",
            ApiException api => $"GitHub answered {(int)api.StatusCode}: {api.Message}",
            HttpRequestException http => $"Could not reach GitHub: {http.Message}",
            TaskCanceledException => "GitHub did not answer in time.",
            _ => $"GitHub request failed: {exception.Message}",
        };
    }
}
