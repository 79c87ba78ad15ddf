namespace MiniPaas.Web.GitHub;

/// <summary>Registers the dashboard's GitHub side: sign-in with GitHub and the current user for components.</summary>
public static class GitHubWebHostingExtensions
{
    public static WebApplicationBuilder AddMiniPaasGitHubWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGitHubSignIn();
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<CurrentUser>();
        return builder;
    }
}
