using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Git;

// In the Configuration namespace so CoreHostingExtensions calls builder.AddMiniPaasGit() without another using.
namespace MiniPaas.Core.Configuration;

/// <summary>Registers the git client (<see cref="CliGitClient"/> as <see cref="IGitClient"/>) and the work folders.</summary>
public static class GitHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasGit(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IGitClient>(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<BuilderOptions>>().Value;
            return new CliGitClient(sp.GetRequiredService<ILogger<CliGitClient>>())
            {
                CloneTimeout = limits.CloneTimeout,
                MaxCloneBytes = limits.MaxCloneBytes,
                TimeProvider = sp.GetRequiredService<TimeProvider>(),
            };
        });
        builder.Services.TryAddSingleton<WorkspaceDirectory>();
        builder.Services.TryAddSingleton<IGitCredentialSource, NoGitCredentials>();
        return builder;
    }
}
