using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.GitHub;
using MiniPaas.Web.Hosting;
using MiniPaas.Web.Ingress;

namespace MiniPaas.Tests.Web;

public sealed class DashboardHostsTests
{
    private static DashboardHosts Create(string? urls = null, string? publicUrl = null, params string[] hosts) => new(
        Options.Create(new DashboardOptions { Hosts = [.. hosts] }),
        Options.Create(new GitHubOptions { PublicUrl = publicUrl }),
        IngressListenPlan.Create(urls, new IngressOptions { Port = 8080 }));

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public void Contains_LoopbackNames_Always(string host) => Assert.True(Create().Contains(new HostString(host, 3000)));

    [Theory]
    [InlineData("evil.example")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.2")]
    [InlineData("")]
    public void Contains_OtherNames_False(string host) => Assert.False(Create().Contains(new HostString(host)));

    [Fact]
    public void Contains_ConfiguredPublicAndListenHosts()
    {
        var hosts = Create("http://panel.lan:3000;http://*:3001", "https://paas.example.com/", "minipaas.localhost");

        Assert.True(hosts.Contains(new HostString("minipaas.localhost")));
        Assert.True(hosts.Contains(new HostString("paas.example.com")));
        Assert.True(hosts.Contains(new HostString("panel.lan", 3000)));
        Assert.False(hosts.Contains(new HostString("*")));
        Assert.Equal(new Uri("https://paas.example.com/"), hosts.PublicUrl);
    }

    [Theory]
    [InlineData("http://paas.example.com")]
    [InlineData("paas.example.com:443")]
    [InlineData("*.example.com")]
    [InlineData("paas.example.com/x")]
    [InlineData(" ")]
    [InlineData("::1")]
    public void Validate_NotABareHost_ReportsEachEntry(string host)
    {
        var result = new DashboardOptionsValidator().Validate(null, new DashboardOptions { Hosts = ["ok.example.com", host, "[::1]"] });

        Assert.True(result.Failed);
        Assert.Contains("MiniPaas:Dashboard:Hosts:1", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:3000", "http://localhost:3000", true)]
    [InlineData("LocalHost:3000", "http://localhost:3000", true)]
    [InlineData("localhost:3000", "http://localhost:3001", false)]
    [InlineData("localhost:3000", "http://localhost", false)]
    [InlineData("localhost:3000", "http://evil.example:3000", false)]
    [InlineData("localhost:3000", "null", false)]
    [InlineData("localhost:3000", "http://localhost:3000/path", false)]
    [InlineData("localhost:3000", "ws://localhost:3000", false)]
    [InlineData("minipaas.localhost", "http://minipaas.localhost", true)]
    [InlineData("minipaas.localhost", "https://minipaas.localhost", true)]
    [InlineData("minipaas.localhost", "http://minipaas.localhost:8080", false)]
    [InlineData("[::1]:3000", "http://[::1]:3000", true)]
    public void IsSameOrigin_ComparesHostAndPort(string host, string origin, bool expected)
    {
        var request = new DefaultHttpContext().Request;
        request.Host = HostString.FromUriComponent(host);

        Assert.Equal(expected, DashboardOriginCheck.IsSameOrigin(origin, request, publicUrl: null));
    }

    [Fact]
    public void IsSameOrigin_PublicUrlBehindAProxyThatRewritesHost_Accepted()
    {
        var request = new DefaultHttpContext().Request;
        request.Host = new HostString("localhost", 3000);

        Assert.True(DashboardOriginCheck.IsSameOrigin("https://paas.example.com", request, new Uri("https://paas.example.com/")));
        Assert.False(DashboardOriginCheck.IsSameOrigin("http://paas.example.com", request, new Uri("https://paas.example.com/")));
    }
}
