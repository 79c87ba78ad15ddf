using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using MiniPaas.Core.Configuration;
using MiniPaas.Web.Auth;
using MiniPaas.Web.Components;
using MiniPaas.Web.GitHub;
using MiniPaas.Web.Health;
using MudBlazor.Services;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace MiniPaas.Web.Hosting;

/// <summary>Registers and maps the dashboard: logging, Blazor + MudBlazor, health endpoints, the loopback guard.</summary>
public static class WebHostingExtensions
{
    /// <summary>ASP.NET Core's per-request hosting log category (turned off, see <see cref="AddMiniPaasWeb"/>).</summary>
    public const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>YARP's log categories (its forwarder writes two Information lines per proxied request).</summary>
    public const string YarpCategory = "Yarp";

    // Serilog has no "off" level; one above Fatal disables a source entirely (IsEnabled is false for every level).
    private const LogEventLevel Off = LogEventLevel.Fatal + 1;

    public static WebApplicationBuilder AddMiniPaasWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Configured from services so that test hosts' configuration overrides (applied at Build) are honoured.
        builder.Services.AddSerilog((services, logger) =>
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            logger
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                // The host logs a start-up failure with its stack trace; StartupFailure already prints known ones as one line
                // and unknown ones still surface with their trace when they escape Main.
                .MinimumLevel.Override("Microsoft.Extensions.Hosting.Internal.Host", LogEventLevel.Fatal)
                // Off, not just quiet: while this category is enabled at any level, ASP.NET Core starts an Activity and a
                // logging scope for every request, proxied app requests included (the proxy's largest avoidable cost).
                // It only writes request start/stop lines; errors are logged by Kestrel and the exception handler.
                .MinimumLevel.Override(HostingDiagnosticsCategory, Off)
                // YARP's forwarder logs "Proxying to …" and "Received HTTP/1.1 response …" at Information for every proxied
                // request: two events through the console and file sinks per request, the ingress's largest cost as shipped.
                // Failures still come at Warning (YARP's own and AppIngressHandler's), and request capture records each request.
                .MinimumLevel.Override(YarpCategory, LogEventLevel.Warning)
                .ReadFrom.Configuration(configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                .WriteTo.Console();

            // Bound by hand, not through IOptions: a validation failure must reach the start-up report with all the others,
            // not surface early from building the logger.
            var options = configuration.GetSection(MiniPaasOptions.SectionName).Get<MiniPaasOptions>() ?? new MiniPaasOptions();
            if (!string.IsNullOrWhiteSpace(options.DataDirectory))
            {
                logger.WriteTo.File(
                    new CompactJsonFormatter(),
                    Path.Combine(options.ResolvedDataDirectory, "logs", "minipaas-.log"),
                    rollingInterval: RollingInterval.Day,
                    retainedFileCountLimit: 14);
            }
        }, preserveStaticLogger: true); // Each host its own logger: with the static one, the last host built (tests run several) took every host's events.

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.AddMiniPaasGitHubWeb();
        builder.AddMiniPaasOwnerAuth();

        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<EngineHealthCheck>("docker", tags: [HealthEndpoints.ReadyTag]);

        return builder;
    }

    public static WebApplication MapMiniPaasWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseMiddleware<DatabaseUnavailableMiddleware>();
        app.UseMiddleware<LoopbackOnlyMiddleware>();

        // Both explicit, after routing: left implicit, WebApplication would put them at the very start of the pipeline, before
        // the (explicit, see UseMiniPaasIngress) routing has chosen the endpoint whose policy authorization must check — every
        // /api endpoint would fail. The dashboard's cookie and the API's bearer scheme both go through them.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiniPaasOwnerAuth();
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();

        app.MapHealthChecks(HealthEndpoints.LivePath, new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableAntiforgery();
        app.MapHealthChecks(HealthEndpoints.ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthEndpoints.ReadyTag),
            ResponseWriter = HealthEndpoints.WriteJsonAsync,
        }).AllowAnonymous().DisableAntiforgery();

        app.MapGitHubEndpoints();
        app.MapOwnerAuthEndpoints();
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode().AllowCircuitDisconnectBeacon();
        return app;
    }
}
