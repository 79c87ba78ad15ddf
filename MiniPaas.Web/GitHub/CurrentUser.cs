using Microsoft.AspNetCore.Components.Authorization;

namespace MiniPaas.Web.GitHub;

/// <summary>The circuit's signed-in user for components; null in single-owner local mode.</summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    /// <summary>What deployments record as "triggered by" in local mode.</summary>
    public const string LocalOwner = "owner";

    public async Task<SignedInUser?> GetAsync() => SignInClaims.From((await authentication.GetAuthenticationStateAsync().ConfigureAwait(false)).User);

    /// <summary>The login of the signed-in user, or <see cref="LocalOwner"/>.</summary>
    public async Task<string> GetActorAsync() => (await GetAsync().ConfigureAwait(false))?.Login ?? LocalOwner;
}
