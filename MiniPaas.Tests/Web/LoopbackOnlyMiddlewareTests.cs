using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using MiniPaas.Web.Hosting;

namespace MiniPaas.Tests.Web;

public sealed class LoopbackOnlyMiddlewareTests
{
    private static async Task<int> SendAsync(string remoteIp, string host, string path = "/", string? gitHubClientId = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MiniPaas:GitHub:ClientId"] = gitHubClientId })
            .Build();
        var middleware = new LoopbackOnlyMiddleware(context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }, configuration);
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remoteIp);
        context.Request.Host = new HostString(host);
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();

        await middleware.InvokeAsync(context);
        return context.Response.StatusCode;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task InvokeAsync_LoopbackCaller_PassesThrough(string ip) =>
        Assert.Equal(200, await SendAsync(ip, "localhost:3000"));

    [Fact]
    public async Task InvokeAsync_RemoteCallerForDashboard_Returns403() =>
        Assert.Equal(403, await SendAsync("192.168.1.20", "myhost:3000"));

    // App hosts are answered by the ingress before this middleware; one that gets here is a dashboard host under AppsDomain.
    [Fact]
    public async Task InvokeAsync_RemoteCallerForHostUnderAppsDomain_Returns403() =>
        Assert.Equal(403, await SendAsync("192.168.1.20", "shop.localhost"));

    [Fact]
    public async Task InvokeAsync_RemoteCallerForApexAppsDomain_Returns403() =>
        Assert.Equal(403, await SendAsync("192.168.1.20", "localhost"));

    [Fact]
    public async Task InvokeAsync_RemoteCallerWithGitHubSignIn_PassesThrough() =>
        Assert.Equal(200, await SendAsync("192.168.1.20", "myhost:3000", gitHubClientId: "abc"));

    [Fact]
    public async Task InvokeAsync_RemoteProbeOfHealthz_PassesThrough() =>
        Assert.Equal(200, await SendAsync("10.0.0.5", "myhost:3000", "/healthz"));

    [Fact]
    public async Task InvokeAsync_RemoteCallerOfTheTokenApi_PassesThroughToItsOwnAuthentication() =>
        Assert.Equal(200, await SendAsync("10.0.0.5", "myhost:3000", "/api/projects"));

    [Fact]
    public async Task InvokeAsync_RemoteCallerOfAPathMerelyStartingWithApi_Returns403() =>
        Assert.Equal(403, await SendAsync("10.0.0.5", "myhost:3000", "/apis-page"));
}
