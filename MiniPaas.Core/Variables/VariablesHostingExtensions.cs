using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;

namespace MiniPaas.Core.Variables;

/// <summary>Registers project variables, their injection into deployments, and Data Protection with its key ring in the database.</summary>
public static class VariablesHostingExtensions
{
    /// <summary>Fixed so that every instance and every restart on the same database reads the same protected payloads.</summary>
    public const string DataProtectionApplicationName = "MiniPaas";

    /// <summary>Call before <c>AddMiniPaasDeploying()</c>: it replaces the deploy engine's empty placeholder environment.</summary>
    public static IHostApplicationBuilder AddMiniPaasVariables(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMiniPaasVariableServices();
        return builder;
    }

    /// <summary>The registrations of <see cref="AddMiniPaasVariables"/> on a plain service collection (tests build containers with it).</summary>
    public static IServiceCollection AddMiniPaasVariableServices(this IServiceCollection services)
    {
        // PersistKeysToDbContext resolves the context from a DI scope; contexts come from the factory, which waits until
        // the database is resolved and migrated (so the key ring is never read from a half-started database).
        services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<MiniPaasDbContext>>().CreateDbContext());
        services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<MiniPaasDbContext>();
        services.TryAddSingleton<ProjectVariables>();
        services.TryAddSingleton<ProjectSuggestions>();
        services.TryAddSingleton<IProjectEnvironment, VariablesEnvironment>();
        services.TryAddSingleton<NewProjectScanner>();
        services.AddSingleton<IProjectCreationObserver>(sp => sp.GetRequiredService<NewProjectScanner>());
        services.AddHostedService(sp => sp.GetRequiredService<NewProjectScanner>());
        return services;
    }
}
