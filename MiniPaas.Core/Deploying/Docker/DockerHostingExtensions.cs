using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MiniPaas.Core.Deploying.Docker;

/// <summary>Registers the Docker engine connection, its monitor and the Docker container runtime.</summary>
public static class DockerHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasDocker(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DockerClientProvider>();
        // One monitor instance: the hosted loop and every IEngineStatus reader share its state.
        builder.Services.AddSingleton<DockerEngineMonitor>();
        builder.Services.AddSingleton<IEngineStatus>(sp => sp.GetRequiredService<DockerEngineMonitor>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DockerEngineMonitor>());
        builder.Services.AddSingleton<IContainerRuntime, DockerContainerRuntime>();
        return builder;
    }
}
