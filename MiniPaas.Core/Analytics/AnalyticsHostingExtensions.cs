using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Analytics;

/// <summary>Registers request analytics: capture (as the ingress's <see cref="IRequestObserver"/>), ingestion, retention, queries, live feed.</summary>
public static class AnalyticsHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasAnalytics(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AnalyticsOptions>().Bind(builder.Configuration.GetSection(AnalyticsOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AnalyticsRetentionOptions>().Bind(builder.Configuration.GetSection(AnalyticsRetentionOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnalyticsOptions>, AnalyticsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnalyticsRetentionOptions>, AnalyticsRetentionOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AnalyticsDatabase(sp.GetRequiredService<DatabaseConnection>()));
        services.TryAddSingleton<VisitorIds>();
        services.TryAddSingleton<RequestCapture>();
        services.TryAddSingleton<RequestEventWriter>();
        services.TryAddSingleton<RequestActivityFeed>();
        services.TryAddSingleton<RequestAnalytics>();
        services.TryAddSingleton<RequestIngestor>();
        services.TryAddSingleton<AnalyticsRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestIngestor>());
        services.AddHostedService(sp => sp.GetRequiredService<AnalyticsRetention>());

        // Registered before the ingress's TryAdd of the no-op observer, so capture is what the ingress calls. Turning
        // analytics off keeps the no-op (nothing is captured; the proxy path does no work for it).
        if (builder.Configuration.GetValue(AnalyticsOptions.SectionName + ":Enabled", defaultValue: true))
        {
            services.AddSingleton<IRequestObserver>(sp => sp.GetRequiredService<RequestCapture>());
        }

        return builder;
    }
}
