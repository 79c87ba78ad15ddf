using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Git;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Variables;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Variables;

/// <summary>A migrated database of its own and MiniPaas's variable services on it, as a fresh DI container each time (a "restart").</summary>
internal static class VariablesTestStore
{
    public static async Task<FixedDbContextFactory> CreateDatabaseAsync(string name) =>
        (FixedDbContextFactory)await (await PostgresFixture.GetAsync()).CreateMigratedContextFactoryAsync(name);

    /// <summary>A new container on the same database: nothing cached in memory, the key ring comes from the database.</summary>
    public static ServiceProvider StartServices(IDbContextFactory<MiniPaasDbContext> contexts)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(contexts);
        // The suggestions (part of the variables' registrations) clone through git into the workspace.
        services.AddOptions<MiniPaasOptions>();
        services.AddSingleton<WorkspaceDirectory>();
        services.AddSingleton<IGitClient>(sp => new CliGitClient(sp.GetRequiredService<ILogger<CliGitClient>>()));
        services.AddMiniPaasVariableServices();
        return services.BuildServiceProvider();
    }

    public static async Task<long> AddProjectAsync(IDbContextFactory<MiniPaasDbContext> contexts, string name)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var project = new ProjectRecord { Name = name, Subdomain = name, SourceUrl = "/tmp/none", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project.Id;
    }
}
