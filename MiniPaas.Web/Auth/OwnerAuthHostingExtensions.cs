using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using MiniPaas.Core.Owner;
using MiniPaas.Web.GitHub;

namespace MiniPaas.Web.Auth;

/// <summary>
/// The owner's side of sign-in: password account and set-up link, every dashboard endpoint behind an authenticated user
/// (the fallback policy), circuits closed when their session ends, the rate-limited forms, and the audit log.
/// </summary>
public static class OwnerAuthHostingExtensions
{
    /// <summary>Call after <c>AddMiniPaasGitHubWeb</c> (it wraps the cookie checks GitHub sign-in registers).</summary>
    public static WebApplicationBuilder AddMiniPaasOwnerAuth(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddMiniPaasOwner();
        var services = builder.Services;
        services.AddSingleton<PasswordSignInMode>();
        services.AddSingleton<DashboardSessions>();
        services.AddSingleton<SetupLinkNotice>();
        services.AddHostedService<SetupLinkAnnouncer>();
        services.AddSignInRateLimit();

        // Every endpoint needs a signed-in dashboard user unless it says otherwise (health, webhooks, sign-in pages, static
        // assets). The API's group names its own bearer policy, which replaces this one: the cookie never reaches /api. The
        // API's surface is exempt here so that what routing produces there without the group's metadata (an unknown route's
        // 404, a wrong content type's 415) and the OpenAPI description keep answering as the API, never with sign-in.
        services.AddAuthorizationBuilder().SetFallbackPolicy(
            new AuthorizationPolicyBuilder(GitHubSignIn.CookieScheme)
                .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true || IsApiSurface(context.Resource))
                .Build());

        services.AddScoped<AuthenticationStateProvider, DashboardAuthenticationStateProvider>();
        services.AddScoped<SessionCircuitHandler>();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<SessionCircuitHandler>());

        services.PostConfigure<CookieAuthenticationOptions>(GitHubSignIn.CookieScheme, options =>
        {
            options.Events.OnValidatePrincipal = OwnerSessionCheck.Wrap(options.Events.OnValidatePrincipal);
            var signingIn = options.Events.OnSigningIn;
            options.Events.OnSigningIn = context =>
            {
                if (context.Principal?.Identity is ClaimsIdentity identity && identity.FindFirst(OwnerClaims.Session) is null)
                {
                    identity.AddClaim(new Claim(OwnerClaims.Session, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))));
                }

                return signingIn(context);
            };

            // A page load goes to sign-in; anything else (the Blazor hub, fetches) gets a bare 401 rather than login HTML.
            options.Events.OnRedirectToLogin = context =>
            {
                if (DashboardSignInGate.IsPageLoad(context.Request))
                {
                    context.Response.Redirect(DashboardSignInGate.LoginUrlFor(context.Request));
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                }

                return Task.CompletedTask;
            };
        });
        return builder;
    }

    private static bool IsApiSurface(object? resource) =>
        resource is HttpContext http
        && (http.Request.Path.StartsWithSegments(Api.ApiHostingExtensions.Prefix, StringComparison.OrdinalIgnoreCase)
            || http.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase));

    /// <summary>The sign-in gate and the rate limiter: call after authentication and authorization, before the endpoints.</summary>
    public static WebApplication UseMiniPaasOwnerAuth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<DashboardSignInGate>();
        app.UseRateLimiter();
        return app;
    }
}

/// <summary>Endpoint conventions of the dashboard's Blazor endpoints.</summary>
public static class DashboardEndpointConventions
{
    /// <summary>
    /// The page's unload beacon (<c>POST /_blazor/disconnect</c>) ends its circuit at once. After sign-out the browser no longer
    /// has the cookie when it sends it, so it must not need one: it names the circuit by its unguessable id and can only end it.
    /// </summary>
    public static RazorComponentsEndpointConventionBuilder AllowCircuitDisconnectBeacon(this RazorComponentsEndpointConventionBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } pattern } && pattern.EndsWith("/disconnect", StringComparison.OrdinalIgnoreCase))
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
        });
        return builder;
    }
}
