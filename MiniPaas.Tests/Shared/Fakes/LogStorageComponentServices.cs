using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Tests.Shared.Fakes;

/// <summary>The log writers the System page's log storage card reads, never started (bUnit tests of pages that show it).</summary>
public static class LogStorageComponentServices
{
    public static IServiceCollection AddLogStorageForComponents(
        this IServiceCollection services, BuildLogRecorder? buildLogs = null, RuntimeLogWriter? runtimeLogs = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        IDbContextFactory<MiniPaasDbContext> nowhere = new FixedDbContextFactory("Host=127.0.0.1;Port=1;Database=none");
        services.AddSingleton(sp => buildLogs ?? new BuildLogRecorder(
            nowhere, new BuildLogFeed(), new LogSequences(), new SecretMaskerCache(new FixedSecretValues(), sp.GetRequiredService<TimeProvider>()),
            sp.GetRequiredService<TimeProvider>(), NullLogger<BuildLogRecorder>.Instance));
        services.AddSingleton(sp => runtimeLogs ?? new RuntimeLogWriter(
            nowhere, new RuntimeLogFeed(), new LogSequences(), Options.Create(new LogsOptions()), sp.GetRequiredService<TimeProvider>(),
            NullLogger<RuntimeLogWriter>.Instance));
        return services;
    }
}
