using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Networking;
using MiniPaas.Web.Ingress;

namespace MiniPaas.Tests.Ingress.Traefik;

/// <summary>In Traefik mode the embedded ingress does not proxy apps, even to a live upstream; the dashboard is unaffected.</summary>
public sealed class TraefikModeIngressTests : IAsyncLifetime
{
    private WebApplication? _upstream;
    private WebApplication? _app;
    private int _upstreamPort;

    public async Task InitializeAsync()
    {
        (_upstream, _upstreamPort) = await TestUpstream.StartAsync("A");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--urls=http://127.0.0.1:{LoopbackPort.Free()}", $"--MiniPaas:Ingress:Port={LoopbackPort.Free()}", "--MiniPaas:Ingress:Mode=Traefik"],
        });
        builder.Logging.ClearProviders();
        builder.AddMiniPaasIngress();
        _app = builder.Build();
        _app.UseMiniPaasIngress();
        _app.MapFallback(() => "dashboard");
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var app in new[] { _app, _upstream })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Get_LiveAppHostInTraefikMode_ExplainsInsteadOfProxying()
    {
        var port = _app!.Services.GetRequiredService<IngressEndpoint>().Port;
        _app.Services.GetRequiredService<RouteTable>().SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPort}");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

        using var appRequest = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/hello") { Headers = { Host = "demo.localhost" } };
        using var appResponse = await client.SendAsync(appRequest);
        using var dashboardRequest = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/") { Headers = { Host = "localhost" } };
        using var dashboardResponse = await client.SendAsync(dashboardRequest);
        using var onDashboardPort = new HttpRequestMessage(HttpMethod.Get, $"{_app.Urls.First()}/") { Headers = { Host = "localhost" } };
        using var dashboardPortResponse = await client.SendAsync(onDashboardPort);

        Assert.Equal(HttpStatusCode.NotFound, appResponse.StatusCode);
        var body = await appResponse.Content.ReadAsStringAsync();
        Assert.Contains("served by Traefik", body, StringComparison.Ordinal);
        Assert.DoesNotContain("A /hello", body, StringComparison.Ordinal);
        // The ingress port serves apps only, in Traefik mode too; the dashboard answers on its own port.
        Assert.Equal(HttpStatusCode.NotFound, dashboardResponse.StatusCode);
        Assert.Contains("No app at this address", await dashboardResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("dashboard", await dashboardPortResponse.Content.ReadAsStringAsync());
    }
}
