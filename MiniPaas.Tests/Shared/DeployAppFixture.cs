using MiniPaas.Core.Deploying;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;

namespace MiniPaas.Tests.Shared;

/// <summary>
/// The whole app on loopback with real PostgreSQL and the real Docker engine, set up to deploy: host networking, RUN steps
/// on the host network, base images built locally (nothing can be pulled here), short health and drain times.
/// </summary>
public class DeployAppFixture : AppFixture
{
    private string? _connectionString;

    /// <summary>Reuse an existing database (to restart MiniPaas on the same state); null creates a fresh one.</summary>
    public string? ExistingConnectionString { get; init; }

    protected override string? ConnectionString => _connectionString;

    public string DatabaseConnectionString => _connectionString ?? throw new InvalidOperationException("Not initialised.");

    public override async Task InitializeAsync()
    {
        var engine = new DockerEngineFixture();
        await engine.InitializeAsync();
        engine.Dispose();
        _connectionString = ExistingConnectionString
            ?? await (await PostgresFixture.GetAsync()).CreateDatabaseAsync("deploy_" + Guid.NewGuid().ToString("N")[..8]);
        await base.InitializeAsync();
        // The start-up pass fails every deployment in progress (a restart interrupted it): one a test queued before that
        // pass ran would be failed as "interrupted by a restart" on a loaded machine.
        await Get<Reconciler>().FirstPass.WaitAsync(TimeSpan.FromMinutes(1));
    }

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        settings["MiniPaas:Builder:NetworkMode"] = "host";
        settings["MiniPaas:Builder:BaseImages:node"] = DockerEngineFixture.NodeImage;
        settings["MiniPaas:Builder:BaseImages:static"] = DockerEngineFixture.BusyboxImage;
        settings["MiniPaas:Runtime:HealthTimeout"] = "00:00:15";
        settings["MiniPaas:Runtime:DrainDelay"] = "00:00:01";
        settings["MiniPaas:Runtime:ReconcileInterval"] = "00:00:02";
    }

    public ProjectService Projects => Get<ProjectService>();

    public DeploymentService Deployments => Get<DeploymentService>();

    public IngressEndpoint Ingress => Get<IngressEndpoint>();

    public T Get<T>() where T : notnull => (T)Services.GetService(typeof(T))!;

    /// <summary>Creates a project from <paramref name="repo"/> and fails the test with the field errors when refused.</summary>
    public async Task<long> CreateProjectAsync(SampleRepo repo, string subdomain, string? healthCheckPath = null)
    {
        var result = await Projects.CreateAsync(new ProjectSpec(subdomain, subdomain, repo.Path, HealthCheckPath: healthCheckPath));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value}")));
        return result.ProjectId!.Value;
    }

    /// <summary>Waits until the deployment reaches one of the final or running statuses.</summary>
    public async Task<DeploymentView> WaitForOutcomeAsync(long projectId, long deploymentId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        while (true)
        {
            var deployment = (await Projects.ListDeploymentsAsync(projectId, ct: cts.Token)).Single(d => d.Id == deploymentId);
            if (deployment.Status == DeploymentStatus.Running || DeploymentStatusWriter.IsFinal(deployment.Status))
            {
                return deployment;
            }

            await Task.Delay(200, cts.Token);
        }
    }

    /// <summary>GET through the ingress: connects to 127.0.0.1 and sends <c>Host: sub.localhost:port</c> (.NET does not resolve *.localhost here).</summary>
    public async Task<(int Status, string Body)> GetAppAsync(string subdomain, string path = "/", CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{IngressPort}{path}"));
        request.Headers.Host = $"{subdomain}.localhost:{IngressPort}";
        using var response = await AppClient.SendAsync(request, ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    private static readonly HttpClient AppClient = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Delete every project (containers, images) on dispose; off to simulate MiniPaas going away while apps run.</summary>
    public bool RemoveAppsOnDispose { get; init; } = true;

    public override async Task DisposeAsync()
    {
        if (RemoveAppsOnDispose)
        {
            foreach (var project in await Get<IProjectDirectory>().ListAsync())
            {
                await Projects.DeleteAsync(project.Id, project.Name);
            }
        }

        await base.DisposeAsync();
    }
}
