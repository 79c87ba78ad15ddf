using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Ingress;
using MiniPaas.Web.Ingress;
using MiniPaas.Core.Networking;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Ingress;

/// <summary>
/// A minimal app wired like MiniPaas.Web (AddMiniPaasIngress/UseMiniPaasIngress on real Kestrel, loopback ports) in front
/// of two tiny upstream apps. *.localhost does not resolve from .NET here, so requests go to 127.0.0.1 with a Host header.
/// </summary>
public sealed class IngressIntegrationTests : IAsyncLifetime
{
    private readonly RecordingObserver _observer = new();
    private IngressTestHost _host = null!;
    private int _upstreamPortA;
    private int _upstreamPortB;

    private RouteTable Table => _host.Routes;

    public async Task InitializeAsync()
    {
        _host = await IngressTestHost.StartAsync(
            configure: builder => builder.Services.AddSingleton<IRequestObserver>(_observer),
            // Stands in for the dashboard's catch-all Blazor routes.
            map: app => app.MapFallback(() => "dashboard"));
        _upstreamPortA = await _host.StartUpstreamAsync("A");
        _upstreamPortB = await _host.StartUpstreamAsync("B");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Get_LiveAppHost_ReturnsUpstreamBody()
    {
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPortA}");

        using var response = await _host.GetAsync($"demo.localhost:{_host.IngressPort}", "/hello?x=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal($"A /hello?x=1 forwarded-host=demo.localhost:{_host.IngressPort}", body);
    }

    [Fact]
    public async Task Post_BodyLargerThanKestrelDefaultLimit_StreamedToUpstream()
    {
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPortA}");
        var size = 32L * 1024 * 1024;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = new ByteArrayContent(new byte[size]) };
        request.Headers.Host = "demo.localhost";

        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"A received {size}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_UpstreamOwn404_PassesThroughUntouched()
    {
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPortA}");

        using var response = await _host.GetAsync("demo.localhost", "/missing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("A says not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_RouteSwitchedDuringLoad_NoFailedRequestAndNewUpstreamAfterwards()
    {
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPortA}");
        var results = new ConcurrentBag<(int Index, HttpStatusCode Status, string Body)>();
        var switched = new TaskCompletionSource();

        async Task LoopAsync(int worker)
        {
            for (var i = 0; i < 150; i++)
            {
                if (worker == 0 && i == 50)
                {
                    Table.SetUpstream("demo", 7, 43, $"127.0.0.1:{_upstreamPortB}");
                    switched.SetResult();
                }

                using var response = await _host.GetAsync("demo.localhost", "/");
                results.Add((i, response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(LoopAsync));
        await switched.Task;

        Assert.Equal(600, results.Count);
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Contains(results, r => r.Body.StartsWith("A ", StringComparison.Ordinal));
        Assert.Contains(results, r => r.Body.StartsWith("B ", StringComparison.Ordinal));
        for (var i = 0; i < 5; i++)
        {
            using var response = await _host.GetAsync("demo.localhost", "/");
            Assert.StartsWith("B ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_UnknownAppHost_FriendlyNotFoundPage()
    {
        using var response = await _host.GetAsync("nothing-here.localhost", "/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("No app called <b>nothing-here</b>", html, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{_host.DashboardPort}/", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AppWithoutLiveDeployment_ServiceUnavailableWithStatusAndRetryAfter()
    {
        Table.SetUnavailable("demo", 7, "Building <step 2>");

        using var response = await _host.GetAsync("demo.localhost", "/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Building &lt;step 2&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UpstreamNotListening_FriendlyBadGatewayPage()
    {
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{LoopbackPort.Free()}");

        using var response = await _host.GetAsync("demo.localhost", "/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("is not answering", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Get_DashboardHost_NotProxied(string host)
    {
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPortA}");
        using var dashboard = _host.CreateDashboardClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Host = $"{host}:{_host.DashboardPort}";

        using var response = await dashboard.SendAsync(request);

        Assert.Equal("dashboard", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_ProxiedRequest_ObserverReceivesRecord()
    {
        Table.SetUpstream("demo", 7, 42, $"127.0.0.1:{_upstreamPortA}");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/observed?secret=1");
        request.Headers.Host = "demo.localhost";
        request.Headers.UserAgent.ParseAdd("IngressTest/1.0");
        using var response = await _host.Client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        var record = Assert.Single(_observer.Records, r => r.Path == "/observed");
        Assert.Equal(7, record.ProjectId);
        Assert.Equal(42, record.DeploymentId);
        Assert.Equal("demo", record.Subdomain);
        Assert.Equal("GET", record.Method);
        Assert.Equal(200, record.StatusCode);
        Assert.Equal(body.Length, record.BytesSent);
        Assert.Equal("IngressTest/1.0", record.UserAgent);
        Assert.Equal("127.0.0.1", record.RemoteIp);
        Assert.True(record.DurationMs > 0);
        Assert.True(DateTimeOffset.UtcNow - record.Timestamp < TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void IngressEndpoint_BaseUrlFor_UsesChosenPort()
    {
        Assert.Equal(new Uri($"http://demo.localhost:{_host.IngressPort}/"), _host.App.Services.GetRequiredService<IngressEndpoint>().BaseUrlFor("Demo"));
    }

    [Fact]
    public void UseMiniPaasIngress_DashboardPortInUse_ThrowsPortInUseWithClearMessage()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--urls=http://localhost:{port}", $"--MiniPaas:Ingress:Port={LoopbackPort.Free()}"],
        });
        builder.Logging.ClearProviders();
        builder.AddMiniPaasIngress();
        using var app = builder.Build();

        var ex = Assert.Throws<PortInUseException>(() => app.UseMiniPaasIngress());

        Assert.StartsWith($"Port {port} is already in use: stop the other program or start with --urls http://localhost:", ex.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingObserver : IRequestObserver
    {
        public ConcurrentQueue<ProxiedRequest> Records { get; } = new();

        public void OnRequestCompleted(ProxiedRequest request) => Records.Enqueue(request);
    }
}
