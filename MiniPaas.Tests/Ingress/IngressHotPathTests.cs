using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Networking;
using MiniPaas.Web.Ingress;

namespace MiniPaas.Tests.Ingress;

/// <summary>
/// What the ingress's request path skips or caches for speed, checked as behaviour: app requests never reach the
/// dashboard's endpoint routing, route lookups ignore case and see every table change at once, Host parsing.
/// </summary>
public sealed class IngressHotPathTests : IAsyncLifetime
{
    private WebApplication? _upstream;
    private WebApplication? _ingressApp;
    private int _upstreamPort;
    private int _dashboardPort;
    private HttpClient _client = null!;

    private RouteTable Table => _ingressApp!.Services.GetRequiredService<RouteTable>();

    private AppIngressHandler Handler => _ingressApp!.Services.GetRequiredService<AppIngressHandler>();

    public async Task InitializeAsync()
    {
        (_upstream, _upstreamPort) = await TestUpstream.StartAsync("A");
        _dashboardPort = LoopbackPort.Free();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--urls=http://127.0.0.1:{_dashboardPort}", $"--MiniPaas:Ingress:Port={LoopbackPort.Free()}"],
        });
        builder.Logging.ClearProviders();
        builder.AddMiniPaasIngress();
        // Every match attempt of the stand-in dashboard endpoint below goes through this constraint and is counted.
        builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<CountingConstraint>("counting"));
        _ingressApp = builder.Build();
        _ingressApp.UseMiniPaasIngress();
        _ingressApp.MapGet("/{page:counting}", () => "dashboard");
        await _ingressApp.StartAsync();
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{_ingressApp.Services.GetRequiredService<IngressEndpoint>().Port}/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        foreach (var app in new[] { _ingressApp, _upstream })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Get_AppHost_DashboardEndpointRoutingNeverRuns()
    {
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPort}");

        var before = CountingConstraint.Calls;
        using var app = await SendAsync(_client, "demo.localhost", "/hello");
        var duringAppRequest = CountingConstraint.Calls - before;
        using var dashboard = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{_dashboardPort}/") };
        using var dashboardResponse = await SendAsync(dashboard, $"127.0.0.1:{_dashboardPort}", "/hello");

        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        Assert.StartsWith("A /hello", await app.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, duringAppRequest);
        // The same path on the dashboard host is matched (so the counter does count), and still answered by the dashboard.
        Assert.Equal("dashboard", await dashboardResponse.Content.ReadAsStringAsync());
        Assert.True(CountingConstraint.Calls - before > 0);
    }

    [Fact]
    public async Task Get_HostInOtherCase_ProxiedToSameApp()
    {
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPort}");

        using var response = await SendAsync(_client, "DeMo.LocalHost:8080", "/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("A /x", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AfterEachTableChange_AnsweredByNewState()
    {
        using var unknown = await SendAsync(_client, "demo.localhost", "/");
        Table.SetUnavailable("demo", 7, "Building");
        using var building = await SendAsync(_client, "demo.localhost", "/");
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPort}");
        using var live = await SendAsync(_client, "demo.localhost", "/");
        Table.Remove("demo");
        using var removed = await SendAsync(_client, "demo.localhost", "/");

        Assert.Equal(
            [HttpStatusCode.NotFound, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.NotFound],
            [unknown.StatusCode, building.StatusCode, live.StatusCode, removed.StatusCode]);
    }

    [Theory]
    [InlineData("demo.localhost", "demo")]
    [InlineData("demo.localhost:8080", "demo")]
    [InlineData("My-App.LOCALHOST:80", "My-App")]
    [InlineData("a.b.localhost", "a.b")]
    [InlineData("localhost", null)]
    [InlineData("localhost:3000", null)]
    [InlineData(".localhost", null)]
    [InlineData("127.0.0.1:80", null)]
    [InlineData("[::1]:80", null)]
    [InlineData("demo.example.com", null)]
    [InlineData("", null)]
    public void MatchSubdomain_HostHeader_AppSubdomainOrNull(string host, string? expected)
    {
        Assert.Equal(expected, Handler.MatchSubdomain(new HostString(host)));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string host, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Host = host;
        return await client.SendAsync(request);
    }

    private sealed class CountingConstraint : IRouteConstraint
    {
        // Static: routing creates its own instance; the tests of this class run one at a time and compare before/after.
        private static int _calls;

        public static int Calls => Volatile.Read(ref _calls);

        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
        {
            Interlocked.Increment(ref _calls);
            return true;
        }
    }
}
