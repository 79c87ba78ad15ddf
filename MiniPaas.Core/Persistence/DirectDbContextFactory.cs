using Microsoft.EntityFrameworkCore;

namespace MiniPaas.Core.Persistence;

/// <summary>
/// Contexts on a known connection string, for short-lived tools (the <c>reset-owner</c> command) that resolve the database
/// themselves instead of running the app's start-up (<see cref="DatabaseConnection"/> never becomes ready there).
/// </summary>
public sealed class DirectDbContextFactory(string connectionString) : IDbContextFactory<MiniPaasDbContext>
{
    public MiniPaasDbContext CreateDbContext() => new(MiniPaasDbContext.CreateOptions(connectionString));
}
