using Microsoft.AspNetCore.Components.Authorization;

namespace MiniPaas.Web.GitHub;

/// <summary>Registers and maps the dashboard's GitHub side: sign-in, the sign-in gate, circuit revalidation, the webhook endpoint.</summary>
public static class GitHubWebHostingExtensions
{
    public static WebApplicationBuilder AddMiniPaasGitHubWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGitHubSignIn();
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, GitHubAuthenticationStateProvider>();
        builder.Services.AddScoped<CurrentUser>();
        return builder;
    }

    /// <summary>Authentication, authorization, then the gate; call after the loopback guard and before antiforgery and the endpoints.</summary>
    public static WebApplication UseMiniPaasGitHub(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        // Explicit, after routing: left implicit, WebApplication would put authorization at the very start of the pipeline,
        // before the (explicit, see UseMiniPaasIngress) routing has chosen the endpoint whose policy it must check.
        app.UseAuthorization();
        app.UseMiddleware<DashboardSignInGate>();
        return app;
    }
}
