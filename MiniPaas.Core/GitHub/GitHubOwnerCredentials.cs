using Microsoft.Extensions.Options;
using MiniPaas.Core.Git;

namespace MiniPaas.Core.GitHub;

/// <summary>
/// Clones of a project's GitHub repository use its owner's token. Only addresses on the GitHub host
/// (<see cref="GitHubOptions.GitHost"/>) get it, so a project pointing elsewhere can never receive the token.
/// </summary>
public sealed class GitHubOwnerCredentials(GitHubUsers users, IOptionsMonitor<GitHubOptions> options) : IGitCredentialSource
{
    /// <summary>The user name GitHub expects beside an OAuth token over HTTPS.</summary>
    public const string TokenUserName = "x-access-token";

    public async Task<GitCredentials?> GetForProjectAsync(long? ownerId, string sourceUrl, CancellationToken ct = default)
    {
        if (ownerId is not { } owner || !IsOnGitHubHost(sourceUrl))
        {
            return null;
        }

        var token = await users.GetAccessTokenAsync(owner, ct).ConfigureAwait(false);
        return token is null ? null : new GitCredentials(TokenUserName, token);
    }

    internal bool IsOnGitHubHost(string sourceUrl)
    {
        if (!Uri.TryCreate(sourceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return false;
        }

        var host = options.CurrentValue.GitHost;
        return string.Equals(uri.Scheme, host.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == host.Port;
    }
}
