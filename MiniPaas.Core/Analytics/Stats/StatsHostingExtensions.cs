using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Deploying.Docker;

namespace MiniPaas.Core.Analytics.Stats;

/// <summary>Registers the container stats sampler, its store, its live feed and its options (<c>MiniPaas:Analytics:Stats</c>).</summary>
public static class StatsHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasContainerStats(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ContainerStatsOptions>()
            .Bind(builder.Configuration.GetSection(ContainerStatsOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ContainerStatsOptions>, ContainerStatsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ContainerStatsFeed>();
        services.AddSingleton<ContainerStatsStore>();
        services.TryAddSingleton<IContainerStatsReader, DockerContainerStatsReader>();
        services.AddSingleton<ContainerStatsSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<ContainerStatsSampler>());
        return builder;
    }
}
