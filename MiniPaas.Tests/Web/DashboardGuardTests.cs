using System.Net;
using System.Net.WebSockets;
using Docker.DotNet.Models;
using MiniPaas.Core.Networking;
using MiniPaas.Tests.Api;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web;

/// <summary>
/// The whole app on loopback (real PostgreSQL, real engine): the dashboard's port answers only its own host names, the
/// Blazor hub refuses other origins, and a host-network container gets nothing from the API without a token.
/// </summary>
[Trait("Needs", "Docker")]
public sealed class DashboardGuardTests(ApiAppFixture app, DockerEngineFixture engine) : IClassFixture<ApiAppFixture>, IClassFixture<DockerEngineFixture>
{
    private int DashboardPort => app.BaseAddress.Port;

    [Theory]
    [InlineData("evil.example", "/")]
    [InlineData("evil.example", "/settings")]
    [InlineData("evil.example", "/_framework/blazor.web.js")]
    [InlineData("evil.example", "/app.css")]
    [InlineData("evil.example", "/openapi/v1.json")]
    [InlineData("rebind.attacker.test", "/")]
    public async Task Get_ForeignHostOnDashboardPort_421WithoutDashboardContent(string host, string path)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Host = $"{host}:{DashboardPort}";
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<html", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("blazor", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("MiniPaas API", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_OwnHostOnDashboardPort_NotRefusedByTheHostFilter()
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/_framework/blazor.web.js", UriKind.Relative));
        request.Headers.Host = $"localhost:{DashboardPort}";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_ForeignHostForHealthProbe_StillAnswered()
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/healthz", UriKind.Relative));
        request.Headers.Host = $"10.1.2.3:{DashboardPort}";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NegotiatePost_ForeignOrigin_403()
    {
        using var response = await NegotiateAsync("http://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("connectionToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("http://localhost:1")]
    [InlineData("https://127.0.0.1")]
    public async Task NegotiatePost_OriginOfAnotherLocalPage_403(string origin)
    {
        using var response = await NegotiateAsync(origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task NegotiatePost_OwnOrigin_NotRefusedByTheOriginCheck()
    {
        using var response = await NegotiateAsync($"http://127.0.0.1:{DashboardPort}");

        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.MisdirectedRequest, response.StatusCode);
    }

    [Fact]
    public async Task WebSocketUpgrade_ForeignOrigin_RefusedWith403()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "http://evil.example");

        await Assert.ThrowsAsync<WebSocketException>(() =>
            socket.ConnectAsync(new Uri($"ws://127.0.0.1:{DashboardPort}/_blazor?id=anything"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task WebSocketUpgrade_OwnOrigin_ReachesTheHub()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", $"http://127.0.0.1:{DashboardPort}");

        // The hub itself refuses an unknown connection id (404): the origin check let the upgrade through to it.
        await Assert.ThrowsAsync<WebSocketException>(() =>
            socket.ConnectAsync(new Uri($"ws://127.0.0.1:{DashboardPort}/_blazor?id=unknown-connection"), CancellationToken.None));

        Assert.NotEqual(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.NotEqual(HttpStatusCode.MisdirectedRequest, socket.HttpStatusCode);
    }

    [Fact]
    public async Task HostNetworkContainer_CallsApiWithoutToken_401AndNoData()
    {
        var name = "guarded-" + Guid.NewGuid().ToString("N")[..8];
        using var repo = await SampleRepo.CreateAsync(MiniPaas.Tests.Deploying.DeployEngineTests.BusyboxSite("not for strangers"));
        using (var admin = app.CreateApiClient())
        {
            using var created = await admin.PostJsonAsync("/api/projects", new { name, subdomain = name, repoUrl = repo.Path, branch = "main" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var (exitCode, stdout, stderr) = await RunInHostNetworkAsync("wget", "-S", "-O", "-", $"http://127.0.0.1:{DashboardPort}/api/projects");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("401", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(name, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostNetworkContainer_CallsDashboardPagesWithoutCookie_SentToSignInWithoutData()
    {
        var name = "paged-" + Guid.NewGuid().ToString("N")[..8];
        using var repo = await SampleRepo.CreateAsync(MiniPaas.Tests.Deploying.DeployEngineTests.BusyboxSite("not for strangers"));
        using (var admin = app.CreateApiClient())
        {
            using var created = await admin.PostJsonAsync("/api/projects", new { name, subdomain = name, repoUrl = repo.Path, branch = "main" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        foreach (var path in new[] { "/", "/settings" })
        {
            var (_, stdout, stderr) = await RunInHostNetworkAsync(
                "wget", "-S", "--header", "Accept: text/html", "-O", "-", $"http://127.0.0.1:{DashboardPort}{path}");

            // Loopback is no credential: a page load is sent to sign-in (or set-up), never served the dashboard.
            Assert.True(stderr.Contains(" 302 ", StringComparison.Ordinal), $"{path}: {stderr}");
            Assert.Contains("Location: /login", stderr, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(name, stdout + stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("Audit log", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HostNetworkContainer_CallsDashboardWithForeignHost_421()
    {
        var (exitCode, stdout, stderr) = await RunInHostNetworkAsync(
            "wget", "-S", "-O", "-", "--header", "Host: evil.example", $"http://127.0.0.1:{DashboardPort}/");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("421", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", stdout, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<HttpResponseMessage> NegotiateAsync(string origin)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative))
        {
            Content = new StringContent(""),
        };
        request.Headers.TryAddWithoutValidation("Origin", origin);
        return await client.SendAsync(request);
    }

    /// <summary>Runs the busybox image on the host network, like an app MiniPaas deploys (its own PORT), and returns what it wrote.</summary>
    private async Task<(long ExitCode, string Stdout, string Stderr)> RunInHostNetworkAsync(params string[] command)
    {
        var created = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = DockerEngineFixture.UniqueName("guard"),
            Image = DockerEngineFixture.BusyboxImage,
            Cmd = command,
            Env = [$"PORT={LoopbackPort.Free()}"],
            Labels = new Dictionary<string, string> { [DockerEngineFixture.TestLabel] = "true" },
            HostConfig = new HostConfig { NetworkMode = "host", Init = true },
        });
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cts.Token);
            var exit = await engine.Client.Containers.WaitContainerAsync(created.ID, cts.Token);
            using var logs = await engine.Client.Containers.GetContainerLogsAsync(
                created.ID, tty: false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, cts.Token);
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(cts.Token);
            return (exit.StatusCode, stdout, stderr);
        }
        finally
        {
            await engine.RemoveContainerQuietlyAsync(created.ID);
        }
    }
}
