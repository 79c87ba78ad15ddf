using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MiniPaas.Core.Persistence;

/// <summary>Registers the database: resolution at start-up, migrations, <see cref="IDbContextFactory{TContext}"/>, <see cref="IDatabaseInfo"/>, <see cref="LogSequences"/>, <see cref="DatabaseAvailability"/>.</summary>
public static class PersistenceHostingExtensions
{
    public static IHostApplicationBuilder AddMiniPaasPersistence(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(DatabaseStartup)))
        {
            return builder;
        }

        services.TryAddSingleton<DatabaseResolver>();
        services.TryAddSingleton<DatabaseConnection>();
        services.TryAddSingleton<IDatabaseInfo>(sp => sp.GetRequiredService<DatabaseConnection>());
        services.TryAddSingleton<LogSequences>();
        services.TryAddSingleton<Installation>();
        services.TryAddSingleton<IDbContextFactory<MiniPaasDbContext>, MiniPaasDbContextFactory>();
        services.TryAddSingleton<DatabaseStartup>();
        services.TryAddSingleton<DatabaseAvailability>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseAvailability>());

        // Hosted services start one after another in registration order; going first means no other service's StartAsync
        // can wait on the database before it is resolved (which would deadlock start-up).
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<DatabaseStartup>()));
        return builder;
    }
}
