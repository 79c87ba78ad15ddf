using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Ingress;
using MiniPaas.Tests.Shared;
using MiniPaas.Web.Ingress;

namespace MiniPaas.Tests.Ingress;

/// <summary>
/// What the ingress's request path skips or caches for speed, checked as behaviour: app requests never reach the
/// dashboard's endpoint routing, route lookups ignore case and see every table change at once, Host parsing.
/// </summary>
public sealed class IngressHotPathTests : IAsyncLifetime
{
    private IngressTestHost _host = null!;
    private int _upstreamPort;

    private RouteTable Table => _host.Routes;

    private AppIngressHandler Handler => _host.App.Services.GetRequiredService<AppIngressHandler>();

    public async Task InitializeAsync()
    {
        _host = await IngressTestHost.StartAsync(
            // Every match attempt of the stand-in dashboard endpoint below goes through this constraint and is counted.
            configure: builder => builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<CountingConstraint>("counting")),
            map: app => app.MapGet("/{page:counting}", () => "dashboard"));
        _upstreamPort = await _host.StartUpstreamAsync("A");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Get_AppHost_DashboardEndpointRoutingNeverRuns()
    {
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPort}");

        var before = CountingConstraint.Calls;
        using var app = await _host.GetAsync("demo.localhost", "/hello");
        var duringAppRequest = CountingConstraint.Calls - before;
        using var dashboard = _host.CreateDashboardClient();
        using var dashboardResponse = await IngressTestHost.GetAsync(dashboard, $"127.0.0.1:{_host.DashboardPort}", "/hello");

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

        using var response = await _host.GetAsync("DeMo.LocalHost:8080", "/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("A /x", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BLOG.LOCALHOST.")]
    [InlineData("blog.localhost.")]
    [InlineData("Blog.Localhost.:8080")]
    public async Task Get_HostWithTrailingDotInAnyCase_ProxiedToTheSameApp(string host)
    {
        Table.SetUpstream("blog", 7, 42, $"127.0.0.1:{_upstreamPort}");

        using var response = await _host.GetAsync(host, "/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("A /x", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RouteForAnInternationalName_ReachedThroughItsPunycodeHost()
    {
        // Browsers send an internationalised host in its ASCII form: the table keeps routes in that form too.
        Table.SetUpstream("Bücher", 7, 42, $"127.0.0.1:{_upstreamPort}");

        using var response = await _host.GetAsync("xn--bcher-kva.localhost.", "/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("A /x", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("xn--bcher-kva", Assert.Single(Table.Snapshot()).Subdomain);
    }

    [Fact]
    public async Task Get_PunycodeHostOfAnUnknownApp_NotFoundPageNamesItsAsciiForm()
    {
        using var response = await _host.GetAsync("XN--BCHER-KVA.localhost.", "/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("XN--BCHER-KVA", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AfterEachTableChange_AnsweredByNewState()
    {
        using var unknown = await _host.GetAsync("demo.localhost", "/");
        Table.SetUnavailable("demo", 7, "Building");
        using var building = await _host.GetAsync("demo.localhost", "/");
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPort}");
        using var live = await _host.GetAsync("demo.localhost", "/");
        Table.Remove("demo");
        using var removed = await _host.GetAsync("demo.localhost", "/");

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
    [InlineData("BLOG.LOCALHOST.", "BLOG")]
    [InlineData("blog.localhost.:80", "blog")]
    [InlineData("blog.localhost..", null)]
    [InlineData("localhost.", null)]
    [InlineData("bücher.localhost", "xn--bcher-kva")]
    [InlineData("BÜCHER.localhost.", "xn--bcher-kva")]
    public void MatchSubdomain_HostHeader_AppSubdomainOrNull(string host, string? expected)
    {
        Assert.Equal(expected, Handler.MatchSubdomain(new HostString(host)));
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
