using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MiniPaas.Core.Persistence;

/// <summary>
/// Start-up of persistence: resolves the database, applies migrations, seeds <see cref="LogSequences"/>, then releases
/// <see cref="DatabaseConnection"/> waiters. Stops the private cluster when the app stops.
/// </summary>
internal sealed class DatabaseStartup(IServiceProvider services, DatabaseConnection connection, LogSequences sequences, ILogger<DatabaseStartup> logger)
    : IHostedService
{
    // The resolver is taken at start, not construction: hosted services are all constructed before options validation
    // runs, and reading options here would report only this area's invalid settings instead of all of them.
    private ResolvedDatabase? _database;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var resolver = services.GetRequiredService<DatabaseResolver>();
            _database = await resolver.ResolveAsync(cancellationToken).ConfigureAwait(false);
            await MigrateAndSeedAsync(_database.ConnectionString, sequences, logger, cancellationToken).ConfigureAwait(false);
            await using (var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(_database.ConnectionString)))
            {
                await services.GetRequiredService<Installation>().LoadOrCreateAsync(db, services.GetRequiredService<TimeProvider>(), cancellationToken).ConfigureAwait(false);
            }

            connection.SetReady(_database);
        }
        catch (DatabaseUnavailableException e)
        {
            logger.DatabaseUnavailable(e.Message);
            connection.SetFailed(e);
            throw;
        }
        catch (Exception e)
        {
            connection.SetFailed(e);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_database is not null)
        {
            await _database.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static async Task MigrateAndSeedAsync(string connectionString, LogSequences sequences, ILogger logger, CancellationToken ct)
    {
        var context = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(connectionString));
        await using (context.ConfigureAwait(false))
        {
            await context.Database.MigrateAsync(ct).ConfigureAwait(false);
            var buildLogs = await context.BuildLogs.MaxAsync(l => (long?)l.Seq, ct).ConfigureAwait(false) ?? 0;
            var runtimeLogs = await context.RuntimeLogs.MaxAsync(l => (long?)l.Seq, ct).ConfigureAwait(false) ?? 0;

            // request_events has no index on seq: the ingestor keeps its high-water mark (see RequestEventHighWaterRecord).
            var analytics = await context.RequestEventHighWater.MaxAsync(h => (long?)h.LastSeq, ct).ConfigureAwait(false) ?? 0;
            sequences.BuildLogs.Seed(buildLogs);
            sequences.RuntimeLogs.Seed(runtimeLogs);
            sequences.Analytics.Seed(analytics);
            logger.Migrated(buildLogs, runtimeLogs, analytics);
        }
    }
}
