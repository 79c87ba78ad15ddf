using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Web.Components;
using MiniPaas.Web.Health;
using MudBlazor.Services;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace MiniPaas.Web.Hosting;

/// <summary>Registers and maps the dashboard: logging, Blazor + MudBlazor, health endpoints, the loopback guard.</summary>
public static class WebHostingExtensions
{
    public static WebApplicationBuilder AddMiniPaasWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Configured from services so that test hosts' configuration overrides (applied at Build) are honoured.
        builder.Services.AddSerilog((services, logger) =>
        {
            var dataDirectory = services.GetRequiredService<IOptions<MiniPaasOptions>>().Value.ResolvedDataDirectory;
            logger
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                // The host logs a start-up failure with its stack trace; StartupFailure already prints known ones as one line
                // and unknown ones still surface with their trace when they escape Main.
                .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", LogEventLevel.Fatal)
                .ReadFrom.Configuration(services.GetRequiredService<IConfiguration>())
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .WriteTo.Console()
                .WriteTo.File(
                    new CompactJsonFormatter(),
                    Path.Combine(dataDirectory, "logs", "minipaas-.log"),
                    rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: 14);
        });

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();

        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<EngineHealthCheck>("docker", tags: [HealthEndpoints.ReadyTag]);

        return builder;
    }

    public static WebApplication MapMiniPaasWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.UseMiddleware<LoopbackOnlyMiddleware>();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();

        app.MapHealthChecks(HealthEndpoints.LivePath, new HealthCheckOptions { Predicate = _ => false }).DisableAntiforgery();
        app.MapHealthChecks(HealthEndpoints.ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthEndpoints.ReadyTag),
            ResponseWriter = HealthEndpoints.WriteJsonAsync,
        }).DisableAntiforgery();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
