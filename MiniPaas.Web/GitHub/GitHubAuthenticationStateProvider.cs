using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using MiniPaas.Core.GitHub;

namespace MiniPaas.Web.GitHub;

/// <summary>
/// Re-checks a circuit's user every <see cref="GitHubOptions.RevalidationInterval"/>: a user removed from the allow lists
/// (or deleted) becomes anonymous, and the layout then sends the browser to sign out.
/// </summary>
public sealed class GitHubAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<GitHubOptions> options) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        if (authenticationState.User.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        if (!options.Value.IsSignInConfigured || SignInClaims.From(authenticationState.User) is not { } user)
        {
            return false;
        }

        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<GitHubUsers>();
        var record = await users.FindAsync(user.UserId, cancellationToken).ConfigureAwait(false);
        if (record is null || record.GitHubId != user.GitHubId)
        {
            return false;
        }

        var policy = scope.ServiceProvider.GetRequiredService<GitHubAccessPolicy>();
        if (policy.IsListedUser(user.GitHubId, user.Login))
        {
            return true;
        }

        var token = await users.GetAccessTokenAsync(user.UserId, cancellationToken).ConfigureAwait(false);
        return await GitHubSignIn.IsAllowedOrKeepAsync(policy, user, token, cancellationToken).ConfigureAwait(false);
    }
}
