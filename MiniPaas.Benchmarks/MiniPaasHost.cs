using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MiniPaas.Benchmarks;

/// <summary>
/// The whole MiniPaas.Web app in this process on real loopback sockets (dashboard + ingress), with its embedded default
/// database (a private PostgreSQL cluster, since no connection string is given), host networking and local base images.
/// </summary>
public sealed class MiniPaasHost : IAsyncDisposable
{
    private readonly AppFactory _factory;

    private MiniPaasHost(AppFactory factory, int ingressPort, string dataDirectory)
    {
        _factory = factory;
        IngressPort = ingressPort;
        DataDirectory = dataDirectory;
    }

    public int IngressPort { get; }

    public string DataDirectory { get; }

    public IServiceProvider Services => _factory.Services;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static MiniPaasHost Start(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var dashboardPort = FreeLoopbackPort();
        var ingressPort = FreeLoopbackPort();
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{dashboardPort};http://127.0.0.1:{ingressPort}",
            ["MiniPaas:DataDirectory"] = dataDirectory,
            ["MiniPaas:Ingress:Port"] = ingressPort.ToString(CultureInfo.InvariantCulture),
            ["MiniPaas:Runtime:NetworkMode"] = "host",
            ["MiniPaas:Builder:NetworkMode"] = "host",
            ["MiniPaas:Builder:BaseImages:node"] = BaseImages.Node,
            ["MiniPaas:Builder:BaseImages:static"] = BaseImages.Busybox,
            // Every measured deploy uses a fresh project, so no drain is on the measured path; shorter keeps cleanup quick.
            ["MiniPaas:Runtime:DrainDelay"] = "00:00:01",
            // Console output would compete with the measurement; warnings and errors still show.
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        var factory = new AppFactory(settings);
        factory.UseKestrel();
        factory.StartServer();
        return new MiniPaasHost(factory, ingressPort, dataDirectory);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
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
    private sealed class AppFactory(IDictionary<string, string?> settings) : WebApplicationFactory<MiniPaas.Web.Hosting.LoopbackOnlyMiddleware>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
        }
    }
}
