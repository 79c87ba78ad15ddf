using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Networking;
using MiniPaas.Tests.Ingress;
using MiniPaas.Web.Ingress;

namespace MiniPaas.Tests.Shared;

/// <summary>
/// A minimal app wired like MiniPaas.Web's ingress (AddMiniPaasIngress/UseMiniPaasIngress on real Kestrel, loopback ports)
/// with the upstream apps it proxies to. *.localhost does not resolve from .NET here, so requests go to 127.0.0.1 with a
/// Host header.
/// </summary>
public sealed class IngressTestHost : IAsyncDisposable
{
    private readonly List<WebApplication> _upstreams = [];

    private IngressTestHost(WebApplication app, int dashboardPort)
    {
        App = app;
        DashboardPort = dashboardPort;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{IngressPort}/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public WebApplication App { get; }

    /// <summary>The port the stand-in dashboard listens on (the app's <c>--urls</c>).</summary>
    public int DashboardPort { get; }

    public int IngressPort => App.Services.GetRequiredService<IngressEndpoint>().Port;

    public RouteTable Routes => App.Services.GetRequiredService<RouteTable>();

    /// <summary>Talks to the ingress port; follows no redirects, so a test sees what the ingress answered.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts the ingress app.</summary>
    /// <param name="settings">Extra command-line settings (<c>--Key=value</c>).</param>
    /// <param name="configure">Registrations made before the ingress's own (so the ingress's TryAdd defaults yield to them).</param>
    /// <param name="map">Endpoints mapped after the ingress middleware, standing in for the dashboard.</param>
    public static async Task<IngressTestHost> StartAsync(
        IEnumerable<string>? settings = null, Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? map = null)
    {
        var dashboardPort = LoopbackPort.Free();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--urls=http://127.0.0.1:{dashboardPort}", $"--MiniPaas:Ingress:Port={LoopbackPort.Free()}", .. settings ?? []],
        });
        builder.Logging.ClearProviders();
        configure?.Invoke(builder);
        builder.AddMiniPaasIngress();
        var app = builder.Build();
        app.UseMiniPaasIngress();
        map?.Invoke(app);
        await app.StartAsync();
        return new IngressTestHost(app, dashboardPort);
    }

    /// <summary>Starts a <see cref="TestUpstream"/> answering "<paramref name="name"/> &lt;path&gt;", stopped with this host; returns its port.</summary>
    public async Task<int> StartUpstreamAsync(string name)
    {
        var (upstream, port) = await TestUpstream.StartAsync(name);
        _upstreams.Add(upstream);
        return port;
    }

    /// <summary>A client for the stand-in dashboard's port.</summary>
    public HttpClient CreateDashboardClient() =>
        new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{DashboardPort}/") };

    /// <summary>GET <paramref name="pathAndQuery"/> through the ingress with <c>Host: <paramref name="host"/></c>.</summary>
    public Task<HttpResponseMessage> GetAsync(string host, string pathAndQuery) => GetAsync(Client, host, pathAndQuery);

    /// <summary>GET through <paramref name="client"/> with <c>Host: <paramref name="host"/></c>.</summary>
    public static async Task<HttpResponseMessage> GetAsync(HttpClient client, string host, string pathAndQuery)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        foreach (var app in _upstreams.Prepend(App))
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
