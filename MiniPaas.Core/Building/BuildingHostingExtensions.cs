using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MiniPaas.Core.Building.Docker;

namespace MiniPaas.Core.Building;

/// <summary>Registers stack detection, Dockerfile generation and the Docker image builder.</summary>
public static class BuildingHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasBuilding(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StackDetector>();
        builder.Services.AddSingleton<BaseImageCatalog>();
        builder.Services.AddSingleton<DockerfileGenerator>();
        builder.Services.AddSingleton<BuildPlanner>();
        builder.Services.TryAddSingleton<IBuildEngineClient, BuildEngineClient>();
        builder.Services.AddSingleton<IImageBuilder, DockerImageBuilder>();
        return builder;
    }
}
