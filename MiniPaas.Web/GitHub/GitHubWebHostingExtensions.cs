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

    /// <summary>The sign-in gate: call after authentication (it reads the signed-in user) and before antiforgery and the endpoints.</summary>
    public static WebApplication UseMiniPaasGitHub(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<DashboardSignInGate>();
        return app;
    }
}
