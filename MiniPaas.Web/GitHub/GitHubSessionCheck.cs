using MiniPaas.Core.GitHub;

namespace MiniPaas.Web.GitHub;

/// <summary>Whether a signed-in GitHub user is still allowed: the user record still exists and the allow lists still name them.</summary>
public static class GitHubSessionCheck
{
    public static async Task<bool> IsStillAllowedAsync(IServiceProvider services, GitHubOptions options, SignedInUser? user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsSignInConfigured || user is null)
        {
            return false;
        }

        var users = services.GetRequiredService<GitHubUsers>();
        var record = await users.FindAsync(user.UserId, ct).ConfigureAwait(false);
        if (record is null || record.GitHubId != user.GitHubId)
        {
            return false;
        }

        var policy = services.GetRequiredService<GitHubAccessPolicy>();
        if (policy.IsListedUser(user.GitHubId, user.Login))
        {
            return true;
        }

        var token = await users.GetAccessTokenAsync(user.UserId, ct).ConfigureAwait(false);
        return await GitHubSignIn.IsAllowedOrKeepAsync(policy, user, token, ct).ConfigureAwait(false);
    }
}
