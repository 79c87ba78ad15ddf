using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Persistence.Resolution;
using MiniPaas.Tests.Api;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web;

/// <summary>
/// The whole app (real engine, host networking) on a PostgreSQL cluster of its own, which the test stops and starts again
/// under it (the shared test cluster serves other tests in parallel and is never stopped). One API token is configured, so
/// the API can be asked without the database.
/// </summary>
public sealed class DatabaseOutageAppFixture : DeployAppFixture
{
    private readonly string _clusterDirectory = Path.Combine(Path.GetTempPath(), "minipaas-outage-app-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private PrivateCluster? _cluster;

    public string Token { get; } = "cfg_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public override async Task InitializeAsync()
    {
        var bin = PostgresServerBinaries.Find(PostgresServerBinaries.CandidateDirectories(null))
            ?? throw new InvalidOperationException("This test needs the PostgreSQL server binaries (apt-get install postgresql).");
        _cluster = new PrivateCluster(_clusterDirectory, bin, ClusterLocation.IsRoot, NullLogger.Instance, durable: false);
        await _cluster.StartAsync();
        // Not the cluster's default database: stopping the cluster clears the test process's pool of that one, and the app
        // must recover from its own dead pooled connections as it would in production.
        await _cluster.CreateDatabaseIfMissingAsync("outage");
        await base.InitializeAsync();
    }

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings["MiniPaas:Database:ConnectionString"] = _cluster!.ConnectionString("outage");
        settings["MiniPaas:Api:Tokens:0"] = Token;
    }

    public Task StopDatabaseAsync() => _cluster!.StopAsync();

    public Task StartDatabaseAsync() => _cluster!.StartAsync();

    public HttpClient CreateApiClient(string? token = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        return client;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_cluster is not null)
        {
            await _cluster.StopAsync();
        }

        try
        {
            Directory.Delete(_clusterDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A server file still closing; the folder is in /tmp.
        }
    }
}

/// <summary>PostgreSQL stops under a running MiniPaas: apps keep serving, the API and dashboard say so, all recover alone.</summary>
[Trait("Needs", "Docker")]
[Collection(SoloAppTests.Name)]
public sealed class DatabaseOutageTests(DatabaseOutageAppFixture app) : IClassFixture<DatabaseOutageAppFixture>
{
    [Fact]
    public async Task PostgresStopped_IngressKeepsServingApiAnswers503_BothRecoverWhenItIsBack()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("served from memory"));
        var subdomain = $"outage-{Guid.NewGuid():N}"[..15];
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var deployed = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(deployed.Status == DeploymentStatus.Running, deployed.FailureReason);
        using var api = app.CreateApiClient();
        // A token MiniPaas must look up in its database: authentication itself meets the outage.
        using var storedTokenApi = app.CreateApiClient(Core.ApiTokens.ApiTokenService.TokenPrefix + new string('x', 43));
        // Signed in before the outage: the session check meets it on every page load.
        using var owner = await app.CreateOwnerClientAsync();

        await app.StopDatabaseAsync();
        try
        {
            Assert.Equal((200, "served from memory"), await app.GetAppAsync(subdomain));
            using var listed = await api.GetAsync(new Uri("api/projects", UriKind.Relative));
            var problem = await listed.AssertProblemAsync(503);
            Assert.Equal("Database unavailable", problem.GetProperty("title").GetString());
            Assert.Equal(DatabaseFaults.RetryAfter, listed.Headers.RetryAfter?.Delta);
            using var authenticated = await storedTokenApi.GetAsync(new Uri("api/projects", UriKind.Relative));
            await authenticated.AssertProblemAsync(503);
            Assert.NotNull(authenticated.Headers.RetryAfter);

            var (status, page) = await GetDashboardAsync(owner, "projects");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("data-testid=\"database-banner\"", page, StringComparison.Ordinal);
            Assert.Equal((200, "served from memory"), await app.GetAppAsync(subdomain));
        }
        finally
        {
            await app.StartDatabaseAsync();
        }

        var projects = await UntilAsync(async () =>
        {
            using var response = await api.GetAsync(new Uri("api/projects", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
        });
        Assert.Contains(subdomain, projects, StringComparison.Ordinal);
        var dashboard = await UntilAsync(async () =>
        {
            var (status, page) = await GetDashboardAsync(owner, "projects");
            return status == HttpStatusCode.OK && !page.Contains("database-banner", StringComparison.Ordinal) ? page : null;
        });
        Assert.Contains(subdomain, dashboard, StringComparison.Ordinal);
        Assert.Equal((200, "served from memory"), await app.GetAppAsync(subdomain));
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetDashboardAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value (the app recovers on its own; no restart, no nudge).</summary>
    private static async Task<string> UntilAsync(Func<Task<string?>> probe)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(250, deadline.Token);
        }
    }
}
