using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MiniPaas.Core.Persistence;

/// <summary>
/// Creates contexts on the resolved database, waiting for start-up to resolve and migrate it. EF interceptors registered as
/// <see cref="IInterceptor"/> services are added to every context (tests use this to inject database faults).
/// </summary>
internal sealed class MiniPaasDbContextFactory(DatabaseConnection connection, IEnumerable<IInterceptor> interceptors) : IDbContextFactory<MiniPaasDbContext>
{
    private DbContextOptions<MiniPaasDbContext>? _options;

    public MiniPaasDbContext CreateDbContext() =>
        new(OptionsFor(connection.WhenReadyAsync().GetAwaiter().GetResult()));

    public async Task<MiniPaasDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        new(OptionsFor(await connection.WhenReadyAsync(cancellationToken).ConfigureAwait(false)));

    private DbContextOptions<MiniPaasDbContext> OptionsFor(ResolvedDatabase database) =>
        _options ??= MiniPaasDbContext.CreateOptions(database.ConnectionString, [.. interceptors]);
}
