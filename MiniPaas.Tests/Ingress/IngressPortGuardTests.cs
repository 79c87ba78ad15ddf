using System.Net;
using Microsoft.AspNetCore.Builder;
using MiniPaas.Tests.Shared;
using MiniPaas.Web.Hosting;

namespace MiniPaas.Tests.Ingress;

/// <summary>
/// The ingress port serves apps only, and a dashboard host is never an app host: an ingress app wired like MiniPaas.Web
/// (real Kestrel, loopback ports) with <c>AppsDomain</c> set to a real-looking domain and a dashboard host under it, and
/// the dashboard's guards in front of a stand-in dashboard.
/// </summary>
public sealed class IngressPortGuardTests : IAsyncLifetime
{
    private const string AppsDomain = "apps.example.test";
    private const string DashboardHost = "paas." + AppsDomain;
    private const string StandInDashboard = "stand-in dashboard page";
    private IngressTestHost _host = null!;
    private int _upstreamPort;

    public async Task InitializeAsync()
    {
        _host = await IngressTestHost.StartAsync(
            settings: [$"--MiniPaas:Ingress:AppsDomain={AppsDomain}", $"--MiniPaas:Dashboard:Hosts:0={DashboardHost}"],
            map: app =>
            {
                app.UseDashboardGuards();
                // Stands in for the dashboard's catch-all Blazor routes, its static files and its hub.
                app.MapFallback(() => StandInDashboard);
            });
        _upstreamPort = await _host.StartUpstreamAsync("A");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("localhost", "/")]
    [InlineData("127.0.0.1", "/")]
    [InlineData("localhost", "/_blazor/negotiate?negotiateVersion=1")]
    [InlineData("localhost", "/_framework/blazor.web.js")]
    [InlineData("localhost", "/app.css")]
    [InlineData("localhost", "/settings")]
    [InlineData(DashboardHost, "/")]
    [InlineData("evil.example", "/")]
    public async Task Get_IngressPortWithNonAppHost_IngressNotFoundPageNeverDashboard(string host, string path)
    {
        using var response = await _host.GetAsync($"{host}:{_host.IngressPort}", path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No app at this address", body, StringComparison.Ordinal);
        Assert.Contains("MiniPaas ingress", body, StringComparison.Ordinal);
        Assert.DoesNotContain(StandInDashboard + "<", body, StringComparison.Ordinal);
        Assert.NotEqual(StandInDashboard, body);
    }

    [Fact]
    public async Task Post_IngressPortToBlazorHub_IngressNotFound()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Host = $"localhost:{_host.IngressPort}";

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No app at this address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_IngressPortWithDashboardHost_PageLinksTheDashboardPort()
    {
        using var response = await _host.GetAsync($"localhost:{_host.IngressPort}", "/");

        Assert.Contains($"href=\"http://localhost:{_host.DashboardPort}/\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_IngressPortWithUnknownHost_PageDoesNotLinkTheDashboard()
    {
        using var response = await _host.GetAsync($"evil.example:{_host.IngressPort}", "/");

        Assert.DoesNotContain("href=", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AppHostUnderAppsDomain_Proxied()
    {
        _host.Routes.SetUpstream("shop", 7, 42, $"127.0.0.1:{_upstreamPort}");

        using var response = await _host.GetAsync($"shop.{AppsDomain}:{_host.IngressPort}", "/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("A /hello", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_DashboardHostUnderAppsDomainWithACollidingRoute_NeverProxied()
    {
        // A project whose subdomain makes its host the dashboard's: the dashboard wins on either port.
        _host.Routes.SetUpstream("paas", 7, 42, $"127.0.0.1:{_upstreamPort}");

        using var onIngress = await _host.GetAsync($"{DashboardHost}:{_host.IngressPort}", "/hello");
        using var dashboard = _host.CreateDashboardClient();
        using var onDashboard = await IngressTestHost.GetAsync(dashboard, $"{DashboardHost}:{_host.DashboardPort}", "/hello");

        Assert.Equal(HttpStatusCode.NotFound, onIngress.StatusCode);
        Assert.DoesNotContain("A /hello", await onIngress.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, onDashboard.StatusCode);
        Assert.Equal(StandInDashboard, await onDashboard.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("rebind.attacker.test")]
    [InlineData("127.0.0.1.nip.io")]
    public async Task Get_DashboardPortWithForeignHost_421BeforeTheDashboard(string host)
    {
        using var dashboard = _host.CreateDashboardClient();

        using var response = await IngressTestHost.GetAsync(dashboard, $"{host}:{_host.DashboardPort}", "/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(StandInDashboard, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData(DashboardHost)]
    public async Task Get_DashboardPortWithOwnHost_ReachesTheDashboard(string host)
    {
        using var dashboard = _host.CreateDashboardClient();

        using var response = await IngressTestHost.GetAsync(dashboard, $"{host}:{_host.DashboardPort}", "/");

        Assert.Equal(StandInDashboard, await response.Content.ReadAsStringAsync());
    }
}
