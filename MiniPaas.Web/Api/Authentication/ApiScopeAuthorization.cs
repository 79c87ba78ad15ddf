using Microsoft.AspNetCore.Authorization;
using MiniPaas.Core.ApiTokens;

namespace MiniPaas.Web.Api.Authentication;

/// <summary>
/// The scope an <c>/api</c> endpoint needs, set with <see cref="ApiScopeEndpointExtensions.RequireApiScope{TBuilder}"/>.
/// An endpoint without it needs <see cref="ApiScope.Admin"/>, so an endpoint someone forgets to mark is closed, not open.
/// </summary>
/// <param name="Scope">What the request needs.</param>
/// <param name="RevealScope">What it needs when it asks for secret values (<c>?reveal=true</c>); null when it cannot.</param>
public sealed record RequiredApiScope(ApiScope Scope, ApiScope? RevealScope = null)
{
    /// <summary>The scope a request needs: <see cref="RevealScope"/> when it asks to reveal values, else <see cref="Scope"/>.</summary>
    public ApiScope For(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Anything but an explicit false counts as asking: a value the binder would refuse must not slip through on a lower scope.
        var asksToReveal = request.Query.TryGetValue("reveal", out var reveal)
            && !(bool.TryParse(reveal.ToString(), out var value) && !value);
        return asksToReveal && RevealScope is { } revealScope && revealScope > Scope ? revealScope : Scope;
    }
}

/// <summary>Marks API endpoints with the scope they need.</summary>
public static class ApiScopeEndpointExtensions
{
    public static TBuilder RequireApiScope<TBuilder>(this TBuilder builder, ApiScope scope, ApiScope? revealScope = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredApiScope(scope, revealScope));
}

/// <summary>Part of the API policy: the caller's token scope must allow what the endpoint needs.</summary>
public sealed class ApiScopeRequirement : IAuthorizationRequirement;

/// <summary>
/// Checks <see cref="ApiScopeRequirement"/> against the endpoint's <see cref="RequiredApiScope"/> (default admin). On refusal
/// it leaves the needed scope in the request's items, so the 403 problem can say what was missing.
/// </summary>
public sealed class ApiScopeAuthorizationHandler : AuthorizationHandler<ApiScopeRequirement, HttpContext>
{
    internal const string NeededScopeItem = "MiniPaas.ApiScope.Needed";

    private static readonly RequiredApiScope AdminOnly = new(ApiScope.Admin);

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiScopeRequirement requirement, HttpContext resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        var needed = (resource.GetEndpoint()?.Metadata.GetMetadata<RequiredApiScope>() ?? AdminOnly).For(resource.Request);
        var granted = context.User.FindFirst(ApiTokenDefaults.ScopeClaim)?.Value;
        if (ApiScopes.TryParse(granted, out var scope) && scope.Allows(needed))
        {
            context.Succeed(requirement);
        }
        else
        {
            resource.Items[NeededScopeItem] = needed;
        }

        return Task.CompletedTask;
    }
}
