using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Ingress;
using MiniPaas.Web.Hosting;
using Yarp.ReverseProxy.Configuration;

namespace MiniPaas.Web.Ingress;

/// <summary>Wires the embedded YARP ingress: <c>builder.AddMiniPaasIngress()</c>, then <c>app.UseMiniPaasIngress()</c>.</summary>
public static partial class IngressHostingExtensions
{
    /// <summary>
    /// Registers the route table (<see cref="RouteTable"/>, also as <see cref="IRouteTable"/>), the YARP config provider,
    /// the forwarder, <see cref="IngressEndpoint"/> and a no-op <see cref="IRequestObserver"/> (replace it by registering
    /// another before or after), and makes Kestrel listen on the ingress port in addition to the dashboard URLs.
    /// </summary>
    public static WebApplicationBuilder AddMiniPaasIngress(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(IngressOptions.SectionName);
        var options = section.Get<IngressOptions>() ?? new IngressOptions();
        var plan = IngressListenPlan.Create(builder.Configuration[WebHostDefaults.ServerUrlsKey], options);

        // Setting the URLs (rather than Kestrel Listen calls) keeps --urls / ASPNETCORE_URLS meaningful: explicit Listen
        // calls would silently override them.
        builder.WebHost.UseUrls([.. plan.AllUrls]);

        var services = builder.Services;
        services.AddOptions<IngressOptions>().Bind(section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(plan);
        services.AddDashboardHosts(builder.Configuration);
        services.AddSingleton(sp => new IngressEndpoint(plan.Ingress.Port, options.AppsDomain, plan.DashboardUrl, sp.GetRequiredService<DashboardHosts>().Names));
        services.TryAddSingleton<RouteTable>();
        services.TryAddSingleton<IRouteTable>(sp => sp.GetRequiredService<RouteTable>());
        services.AddSingleton<RouteTableProxyConfigProvider>();
        services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<RouteTableProxyConfigProvider>());
        services.TryAddSingleton<IRequestObserver, NullRequestObserver>();
        services.AddSingleton<AppIngressHandler>();
        services.AddReverseProxy();
        return builder;
    }

    /// <summary>
    /// Checks that every port is free (throws <see cref="PortInUseException"/> with a one-line message otherwise) and adds
    /// the host branch: requests for <c>&lt;x&gt;.&lt;AppsDomain&gt;</c> go to the app; anything else on the ingress port gets
    /// the ingress's 404 (<see cref="IngressPortGuard"/>); the rest goes on to the dashboard.
    /// Call it first, right after <c>Build()</c>, so no dashboard middleware touches app traffic.
    /// </summary>
    public static WebApplication UseMiniPaasIngress(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var plan = app.Services.GetRequiredService<IngressListenPlan>();

        // Only a real Kestrel binds ports; WebApplicationFactory's TestServer must not probe (or fail on) them.
        if (app.Services.GetService<IServer>()?.GetType().Name.StartsWith("KestrelServer", StringComparison.Ordinal) == true)
        {
            plan.EnsurePortsFree();
            LogIngressPort(app.Logger, plan.Ingress.Port, plan.IsIngressPortAutomatic ? "chosen automatically" : "configured");
        }

        var handler = app.Services.GetRequiredService<AppIngressHandler>();
        // In Traefik mode Traefik serves the apps; the embedded ingress only explains that to a request that reaches it.
        if (app.Services.GetRequiredService<IOptions<IngressOptions>>().Value.IsTraefik)
        {
            app.Use((context, next) => handler.MatchSubdomain(context.Request.Host) is { } subdomain
                ? IngressPages.WriteServedByTraefikAsync(context, subdomain)
                : next(context));
        }
        else
        {
            app.Use((context, next) => handler.TryHandleAsync(context) ?? next(context));
        }

        // What is left on the ingress port is no app: the ingress's own 404 (or a redirect for a dashboard host), never the dashboard.
        app.UseMiddleware<IngressPortGuard>();

        // WebApplication would otherwise insert its implicit UseRouting at the very start of the pipeline, so every app
        // request would first be matched against the dashboard's endpoints (Blazor pages, static assets) for nothing.
        // Routing placed here, right after the branch, runs for dashboard requests only, before any dashboard middleware.
        app.UseRouting();
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "App ingress on port {Port} ({How})")]
    private static partial void LogIngressPort(ILogger logger, int port, string how);
}
