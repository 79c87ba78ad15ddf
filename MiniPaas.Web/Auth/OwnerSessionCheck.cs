using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using MiniPaas.Core.GitHub;
using MiniPaas.Core.Owner;
using MiniPaas.Web.GitHub;

namespace MiniPaas.Web.Auth;

/// <summary>
/// The cookie's per-request check, for both kinds of session: an owner session must match the account's current session
/// version (a reset or new password ends it) while password sign-in is enabled; a GitHub session goes through GitHub's own
/// check, and only while GitHub sign-in is configured. A session signed out in this process is refused either way.
/// </summary>
public static class OwnerSessionCheck
{
    public static async Task<bool> IsValidAsync(IServiceProvider services, ClaimsPrincipal user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(user);
        if (!services.GetRequiredService<PasswordSignInMode>().IsEnabled || OwnerClaims.VersionOf(user) is not { } version)
        {
            return false;
        }

        var state = await services.GetRequiredService<OwnerAccounts>().GetStateAsync(ct).ConfigureAwait(false);
        return state.HasPassword && state.SessionVersion == version;
    }

    /// <summary>Wraps the cookie's <c>OnValidatePrincipal</c> (GitHub's) so owner sessions are checked here.</summary>
    internal static Func<CookieValidatePrincipalContext, Task> Wrap(Func<CookieValidatePrincipalContext, Task> gitHubCheck) => async context =>
    {
        var http = context.HttpContext;
        var principal = context.Principal;
        var services = http.RequestServices;
        bool valid;
        if (principal is null || services.GetRequiredService<DashboardSessions>().IsSignedOut(OwnerClaims.SessionOf(principal)))
        {
            valid = false;
        }
        else if (OwnerClaims.IsOwner(principal))
        {
            valid = await IsValidAsync(services, principal, http.RequestAborted).ConfigureAwait(false);
        }
        else if (!services.GetRequiredService<IOptions<GitHubOptions>>().Value.IsSignInConfigured)
        {
            // A GitHub session left from when sign-in was configured: there is no allow list to check it against any more.
            valid = false;
        }
        else
        {
            await gitHubCheck(context).ConfigureAwait(false);
            return;
        }

        if (!valid)
        {
            context.RejectPrincipal();
            await http.SignOutAsync(GitHubSignIn.CookieScheme).ConfigureAwait(false);
        }
    };
}
