using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Ingress;
using MiniPaas.Web.Ingress;
using MiniPaas.Core.Networking;

namespace MiniPaas.Tests.Ingress;

/// <summary>The provider as YARP itself consumes it (MapReverseProxy), proving its config is valid and hot-reloads.</summary>
public sealed class YarpRouteProviderTests
{
    [Fact]
    public async Task MapReverseProxy_TableChanges_YarpRoutesByHostAndReloads()
    {
        var (upstreamA, portA) = await TestUpstream.StartAsync("A");
        var (upstreamB, portB) = await TestUpstream.StartAsync("B");
        var proxyPort = LoopbackPort.Free();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--urls=http://127.0.0.1:{proxyPort}", $"--MiniPaas:Ingress:Port={LoopbackPort.Free()}"],
        });
        builder.Logging.ClearProviders();
        builder.AddMiniPaasIngress();
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        try
        {
            var table = app.Services.GetRequiredService<RouteTable>();
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{proxyPort}/") };

            table.SetUpstream("demo", 7, 42, $"127.0.0.1:{portA}");
            Assert.StartsWith("A /x", await GetAsync(client, $"demo.localhost:{proxyPort}"), StringComparison.Ordinal);

            table.SetUpstream("demo", 7, 43, $"127.0.0.1:{portB}");
            Assert.StartsWith("B /x", await GetAsync(client, $"DEMO.localhost:{proxyPort}"), StringComparison.Ordinal);

            table.Remove("demo");
            using var request = new HttpRequestMessage(HttpMethod.Get, "/x");
            request.Headers.Host = "demo.localhost";
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            foreach (var a in new[] { app, upstreamA, upstreamB })
            {
                await a.StopAsync();
                await a.DisposeAsync();
            }
        }
    }

    private static async Task<string> GetAsync(HttpClient client, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/x");
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
