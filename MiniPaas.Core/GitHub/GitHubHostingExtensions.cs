using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Git;
using MiniPaas.Core.GitHub;
using MiniPaas.Core.GitHub.Webhooks;

// In the Configuration namespace so CoreHostingExtensions calls builder.AddMiniPaasGitHub() without another using.
namespace MiniPaas.Core.Configuration;

/// <summary>Registers the GitHub side of Core: options, users and tokens, the API client, repositories, webhooks, branch polling.</summary>
public static class GitHubHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasGitHub(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<GitHubOptions>().Bind(builder.Configuration.GetSection(GitHubOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GitHubOptions>, GitHubOptionsValidator>());
        services.TryAddSingleton<GitHubUsers>();
        services.TryAddSingleton<GitHubApiClientFactory>();
        services.TryAddSingleton<GitHubAccessPolicy>();
        services.TryAddSingleton<RepositoryCatalog>();
        services.Replace(ServiceDescriptor.Singleton<IGitCredentialSource, GitHubOwnerCredentials>());
        services.TryAddSingleton<WebhookSecrets>();
        services.TryAddSingleton<WebhookInstaller>();
        services.TryAddSingleton<WebhookReceiver>();
        services.TryAddSingleton<AutoDeployer>();
        services.TryAddSingleton<ProjectGitHubState>();
        services.TryAddSingleton<BranchPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<BranchPoller>());
        return builder;
    }
}
