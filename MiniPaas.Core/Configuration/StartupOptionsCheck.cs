using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MiniPaas.Core.Configuration;

/// <summary>
/// Reports every invalid setting at once. The host constructs all hosted services before <c>ValidateOnStart</c> runs, so a
/// constructor reading an invalid options value would surface only its own area's errors; registered first, this check
/// reads every area and throws one <see cref="OptionsValidationException"/> with all failures.
/// </summary>
internal sealed class StartupOptionsCheck : IHostedService
{
    public StartupOptionsCheck(IServiceProvider services)
    {
        var failures = new List<string>();
        Collect<MiniPaasOptions>(services, failures);
        Collect<DatabaseOptions>(services, failures);
        Collect<DockerOptions>(services, failures);
        Collect<RuntimeOptions>(services, failures);
        Collect<IngressOptions>(services, failures);
        Collect<BuilderOptions>(services, failures);
        Collect<Analytics.AnalyticsOptions>(services, failures);
        Collect<Analytics.AnalyticsRetentionOptions>(services, failures);
        Collect<Analytics.Stats.ContainerStatsOptions>(services, failures);
        Collect<Ingress.Traefik.TraefikOptions>(services, failures);
        Collect<ApiTokens.ApiOptions>(services, failures);
        Collect<GitHub.GitHubOptions>(services, failures);
        Collect<Logs.LogsOptions>(services, failures);
        Collect<Logs.LogRetentionOptions>(services, failures);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MiniPaasOptions), failures);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void Collect<T>(IServiceProvider services, List<string> failures) where T : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
        }
    }

    /// <summary>Puts the check before every other hosted service.</summary>
    internal static void RegisterFirst(IServiceCollection services) =>
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StartupOptionsCheck>());
}
