using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;
using MiniPaas.Core.GitHub;
using MiniPaas.Core.Owner;
using MiniPaas.Web.GitHub;

namespace MiniPaas.Web.Auth;

/// <summary>
/// Re-checks a circuit's user every <see cref="OwnerOptions.RevalidationInterval"/> (or the GitHub interval, if shorter): an
/// owner session ended by a reset or sign-out, or a GitHub user removed from the allow lists, becomes anonymous — the
/// router then shows no page and <see cref="SessionCircuitHandler"/> stops taking the circuit's events.
/// </summary>
public sealed class DashboardAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    IOptions<GitHubOptions> gitHub,
    IOptions<OwnerOptions> owner) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval =>
        owner.Value.RevalidationInterval < gitHub.Value.RevalidationInterval ? owner.Value.RevalidationInterval : gitHub.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        var user = authenticationState.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        using var scope = scopes.CreateScope();
        var services = scope.ServiceProvider;
        if (services.GetRequiredService<DashboardSessions>().IsSignedOut(OwnerClaims.SessionOf(user)))
        {
            return false;
        }

        return OwnerClaims.IsOwner(user)
            ? await OwnerSessionCheck.IsValidAsync(services, user, cancellationToken).ConfigureAwait(false)
            : await GitHubSessionCheck.IsStillAllowedAsync(services, gitHub.Value, SignInClaims.From(user), cancellationToken).ConfigureAwait(false);
    }
}
