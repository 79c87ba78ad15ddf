using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Analytics;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Tests.Shared.Fakes;

/// <summary>
/// The analytics services that dashboard components inject (sparklines, ingestion card, analytics view), for bUnit tests
/// of pages that embed them. By default there is no database: queries fail and the components show their empty/error state.
/// </summary>
public static class AnalyticsComponentServices
{
    public static IServiceCollection AddAnalyticsForComponents(this IServiceCollection services, AnalyticsDatabase? database = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(database ?? new AnalyticsDatabase(_ => Task.FromException<string>(new InvalidOperationException("No database in this test."))));
        services.AddSingleton(Options.Create(new AnalyticsOptions()));
        services.AddSingleton<RequestAnalytics>();
        services.AddSingleton<RequestActivityFeed>();
        services.AddSingleton<RequestCapture>();
        services.AddSingleton<RequestEventWriter>();
        services.AddSingleton<VisitorIds>();
        services.AddSingleton<LogSequences>();
        services.AddSingleton(sp => new RequestIngestor(
            sp.GetRequiredService<RequestCapture>(), sp.GetRequiredService<RequestEventWriter>(), sp.GetRequiredService<RequestActivityFeed>(),
            sp.GetRequiredService<VisitorIds>(), sp.GetRequiredService<LogSequences>(), sp.GetRequiredService<AnalyticsDatabase>(),
            sp.GetRequiredService<IOptions<AnalyticsOptions>>(), sp.GetRequiredService<TimeProvider>(), NullLogger<RequestIngestor>.Instance));
        return services;
    }
}
