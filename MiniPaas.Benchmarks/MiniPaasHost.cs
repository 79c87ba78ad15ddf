using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Networking;

namespace MiniPaas.Benchmarks;

/// <summary>
/// The whole MiniPaas.Web app in this process on real loopback sockets (dashboard + ingress), with its embedded default
/// database (a private PostgreSQL cluster, since no connection string is given), host networking and local base images.
/// </summary>
public sealed class MiniPaasHost : IAsyncDisposable
{
    private readonly AppFactory _factory;

    private MiniPaasHost(AppFactory factory, int dashboardPort, int ingressPort, string dataDirectory)
    {
        _factory = factory;
        DashboardPort = dashboardPort;
        DashboardAddress = new Uri($"http://127.0.0.1:{dashboardPort}/");
        IngressPort = ingressPort;
        DataDirectory = dataDirectory;
    }

    public int IngressPort { get; }

    public int DashboardPort { get; }

    /// <summary>The dashboard's base address, <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri DashboardAddress { get; }

    public string DataDirectory { get; }

    /// <summary>Leaves <see cref="DataDirectory"/> (database included) in place on dispose, for a later MiniPaas on it.</summary>
    public bool KeepDataDirectory { get; set; }

    public IServiceProvider Services => _factory.Services;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static MiniPaasHost Start(string dataDirectory, string dockerEndpoint, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var dashboardPort = LoopbackPort.Free();
        var ingressPort = LoopbackPort.Free();
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{dashboardPort};http://127.0.0.1:{ingressPort}",
            ["MiniPaas:DataDirectory"] = dataDirectory,
            ["MiniPaas:Ingress:Port"] = ingressPort.ToString(CultureInfo.InvariantCulture),
            ["MiniPaas:Docker:Endpoint"] = dockerEndpoint,
            ["MiniPaas:Runtime:NetworkMode"] = "host",
            ["MiniPaas:Builder:NetworkMode"] = "host",
            ["MiniPaas:Builder:BaseImages:node"] = BaseImages.Node,
            ["MiniPaas:Builder:BaseImages:static"] = BaseImages.Busybox,
            // Every measured deploy uses a fresh project, so no drain is on the measured path; shorter keeps cleanup quick.
            ["MiniPaas:Runtime:DrainDelay"] = "00:00:01",
            // Logging stays as shipped (Information, with the app's own overrides): a quieter level here once hid two
            // log events per proxied request from the proxy suite.
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        // Development serves the dashboard's static assets from the build output (the browser measurements need them).
        var environment = extraSettings?.ContainsKey("environment") == true ? extraSettings["environment"]! : "Production";
        settings.Remove("environment");
        var factory = new AppFactory(settings, environment);
        factory.UseKestrel();
        factory.StartServer();
        return new MiniPaasHost(factory, dashboardPort, ingressPort, dataDirectory);
    }

    /// <summary>
    /// Moves this database's project and deployment ids far from 1: containers are labelled with those ids only, and deleting a
    /// project removes every container on the engine with its id, so ids that other MiniPaas instances on this engine also use
    /// (theirs start at 1 too) would make the benchmark's cleanup remove their containers.
    /// </summary>
    public async Task MoveIdsAwayAsync(CancellationToken ct)
    {
        var start = Random.Shared.NextInt64(1_000_000_000, 9_000_000_000);
        await using var db = await Get<IDbContextFactory<MiniPaasDbContext>>().CreateDbContextAsync(ct);
        foreach (var table in new[] { "projects", "deployments" })
        {
#pragma warning disable EF1002 // Table names are constants above, and the number is ours; nothing user-supplied is interpolated.
            await db.Database.ExecuteSqlRawAsync($"ALTER TABLE {table} ALTER COLUMN id RESTART WITH {start.ToString(CultureInfo.InvariantCulture)}", ct);
#pragma warning restore EF1002
        }
    }


    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (KeepDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Log files may still be flushing; a temp folder left behind is harmless.
        }
    }

    // Any type of MiniPaas.Web names the app's assembly (and so its entry point); the Web app's own Program would clash with this
    // console app's generated one.
    private sealed class AppFactory(IDictionary<string, string?> settings, string environment) : WebApplicationFactory<MiniPaas.Web.Hosting.LoopbackOnlyMiddleware>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);

            // Not a published layout: without this, Production serves no MudBlazor/Blazor scripts and no circuit starts
            // (the dashboard suite and the live-log measurements need interactive pages).
            builder.UseStaticWebAssets();
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
            builder.ConfigureServices(WithoutReconcilerLoop);
        }

        /// <summary>
        /// The reconciler removes every MiniPaas-labelled container its own database does not know, and this Docker engine is
        /// shared with other MiniPaas instances (test runs): left on, the benchmark would delete their apps. Its loop is not
        /// on the measured path (fresh projects, nothing to reconcile), so the bench runs without it.
        /// </summary>
        private static void WithoutReconcilerLoop(IServiceCollection services)
        {
            for (var i = 0; i < services.Count; i++)
            {
                if (services[i] is { ServiceType: var type, ImplementationFactory: { } factory } && type == typeof(IHostedService))
                {
                    services[i] = ServiceDescriptor.Singleton<IHostedService>(sp => factory(sp) is var service && service is Reconciler ? new IdleService() : (IHostedService)service);
                }
            }
        }
    }

    private sealed class IdleService : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
