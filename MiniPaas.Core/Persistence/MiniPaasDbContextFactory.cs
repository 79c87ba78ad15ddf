using Microsoft.EntityFrameworkCore;

namespace MiniPaas.Core.Persistence;

/// <summary>Creates contexts on the resolved database, waiting for start-up to resolve and migrate it.</summary>
internal sealed class MiniPaasDbContextFactory(DatabaseConnection connection) : IDbContextFactory<MiniPaasDbContext>
{
    private DbContextOptions<MiniPaasDbContext>? _options;

    public MiniPaasDbContext CreateDbContext() =>
        new(OptionsFor(connection.WhenReadyAsync().GetAwaiter().GetResult()));

    public async Task<MiniPaasDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        new(OptionsFor(await connection.WhenReadyAsync(cancellationToken).ConfigureAwait(false)));

    private DbContextOptions<MiniPaasDbContext> OptionsFor(ResolvedDatabase database) =>
        _options ??= MiniPaasDbContext.CreateOptions(database.ConnectionString);
}
