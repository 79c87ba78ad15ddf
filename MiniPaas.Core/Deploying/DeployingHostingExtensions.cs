using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Projects;

namespace MiniPaas.Core.Configuration;

/// <summary>Registers the deploy engine: queue, pipeline, lifecycle operations, reconciler, projects.</summary>
public static class DeployingHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasDeploying(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        // The route table is Core's; the web ingress reads it (registered here so a host without the web part still runs).
        services.TryAddSingleton<RouteTable>();
        services.TryAddSingleton<IRouteTable>(sp => sp.GetRequiredService<RouteTable>());
        services.AddSingleton<DeploymentStatusFeed>();
        services.AddSingleton<BuildLogFeed>();
        services.AddSingleton<BuildLogRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<BuildLogRecorder>());
        services.AddSingleton<DeploymentStatusWriter>();
        services.AddSingleton<HealthProbe>();
        services.AddSingleton<ImageRetention>();
        services.TryAddSingleton<IProjectEnvironment, NoProjectVariables>();
        services.AddSingleton<IDeploymentRunner, DeploymentPipeline>();
        services.AddSingleton<BuildQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<BuildQueue>());
        services.AddSingleton<DeploymentService>();
        services.AddSingleton<ProjectDeletions>();
        services.AddSingleton<Reconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<Reconciler>());
        services.AddSingleton<ProjectService>();
        services.AddSingleton<IProjectDirectory, EfProjectDirectory>();
        return builder;
    }
}
