using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniPaas.Core.Analytics;
using MiniPaas.Core.Analytics.Stats;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Core.Building;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Deploying.Docker;
using MiniPaas.Core.Ingress.Traefik;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Variables;

namespace MiniPaas.Core.Configuration;

/// <summary>Registers every Core capability; each area adds itself through its own <c>AddXyz</c> method called from here.</summary>
public static class CoreHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasCore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<MiniPaasOptions>().Bind(builder.Configuration.GetSection(MiniPaasOptions.SectionName)).ValidateOnStart();
        builder.Services.AddOptions<DatabaseOptions>().Bind(builder.Configuration.GetSection(DatabaseOptions.SectionName)).ValidateOnStart();
        builder.Services.AddOptions<DockerOptions>().Bind(builder.Configuration.GetSection(DockerOptions.SectionName)).ValidateOnStart();
        builder.Services.AddOptions<RuntimeOptions>().Bind(builder.Configuration.GetSection(RuntimeOptions.SectionName)).ValidateOnStart();
        builder.Services.AddOptions<IngressOptions>().Bind(builder.Configuration.GetSection(IngressOptions.SectionName)).ValidateOnStart();
        builder.Services.AddOptions<BuilderOptions>().Bind(builder.Configuration.GetSection(BuilderOptions.SectionName)).ValidateOnStart();

        builder.Services.AddMiniPaasOptionsValidators();

        // Each area registers itself below (one line per area).
        builder.AddMiniPaasGit();
        builder.AddMiniPaasBuilding();
        builder.AddMiniPaasPersistence();
        builder.AddMiniPaasDocker();
        builder.AddMiniPaasVariables();
        builder.AddMiniPaasDeploying();
        builder.AddMiniPaasAnalytics();
        builder.AddMiniPaasContainerStats();
        builder.AddMiniPaasTraefik();
        builder.AddMiniPaasApiTokens();
        builder.AddMiniPaasGitHub();
        builder.AddMiniPaasLogs();
        StartupOptionsCheck.RegisterFirst(builder.Services);
        return builder;
    }
}
