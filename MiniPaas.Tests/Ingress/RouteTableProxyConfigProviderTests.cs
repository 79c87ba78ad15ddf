using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Ingress;

namespace MiniPaas.Tests.Ingress;

public sealed class RouteTableProxyConfigProviderTests
{
    private static RouteTableProxyConfigProvider CreateProvider(RouteTable table, string appsDomain = "localhost") =>
        new(table, Options.Create(new IngressOptions { AppsDomain = appsDomain }));

    [Fact]
    public void GetConfig_LiveRoutes_OneHostRoutePerSubdomainAndOneClusterPerDeployment()
    {
        var table = new RouteTable();
        table.SetUpstream("demo", 7, 42, "127.0.0.1:41234");
        table.SetUpstream("blog", 8, 43, "10.0.0.5:8080");
        using var provider = CreateProvider(table, "apps.example.com");

        var config = provider.GetConfig();

        Assert.Equal(2, config.Routes.Count);
        Assert.Equal(2, config.Clusters.Count);
        var route = Assert.Single(config.Routes, r => r.RouteId == "app-demo");
        Assert.Equal(["demo.apps.example.com"], route.Match.Hosts);
        Assert.Equal("/{**catch-all}", route.Match.Path);
        Assert.Equal("7", route.Metadata![RouteTableProxyConfigProvider.ProjectIdKey]);
        Assert.Equal("42", route.Metadata[RouteTableProxyConfigProvider.DeploymentIdKey]);
        var cluster = Assert.Single(config.Clusters, c => c.ClusterId == route.ClusterId);
        Assert.Equal("http://127.0.0.1:41234/", Assert.Single(cluster.Destinations!.Values).Address);
        Assert.Equal(RouteTableProxyConfigProvider.ActivityTimeout, cluster.HttpRequest!.ActivityTimeout);
        Assert.False(cluster.HttpRequest.AllowResponseBuffering);
    }

    [Fact]
    public void GetConfig_UnavailableRoute_HasNoProxyRoute()
    {
        var table = new RouteTable();
        table.SetUnavailable("demo", 7, "Building");
        using var provider = CreateProvider(table);

        var config = provider.GetConfig();

        Assert.Empty(config.Routes);
        Assert.Empty(config.Clusters);
    }

    [Fact]
    public void GetConfig_AfterTableChange_PreviousTokenFiresAndNewConfigHasNewUpstream()
    {
        var table = new RouteTable();
        table.SetUpstream("demo", 7, 42, "127.0.0.1:41234");
        using var provider = CreateProvider(table);
        var first = provider.GetConfig();
        var fired = 0;
        using var registration = first.ChangeToken.RegisterChangeCallback(_ => fired++, null);

        table.SetUpstream("demo", 7, 43, "127.0.0.1:41235");

        Assert.True(first.ChangeToken.HasChanged);
        Assert.Equal(1, fired);
        var second = provider.GetConfig();
        Assert.NotSame(first, second);
        Assert.False(second.ChangeToken.HasChanged);
        Assert.Equal("http://127.0.0.1:41235/", Assert.Single(Assert.Single(second.Clusters).Destinations!.Values).Address);
        Assert.Equal("http://127.0.0.1:41234/", Assert.Single(Assert.Single(first.Clusters).Destinations!.Values).Address);
    }

    [Fact]
    public void Dispose_LaterTableChange_NoLongerReloads()
    {
        var table = new RouteTable();
        var provider = CreateProvider(table);
        var config = provider.GetConfig();

        provider.Dispose();
        table.SetUpstream("demo", 7, 42, "127.0.0.1:41234");

        Assert.False(config.ChangeToken.HasChanged);
    }
}
