using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MiniPaas.Core.Git;

/// <summary>Registers the git client and the work folders.</summary>
public static class GitHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasGit(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IGitClient>(sp => new CliGitClient(sp.GetRequiredService<ILogger<CliGitClient>>()));
        builder.Services.TryAddSingleton<WorkspaceDirectory>();
        return builder;
    }
}
