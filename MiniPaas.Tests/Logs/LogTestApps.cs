using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Deploying.Docker;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MiniPaas.Tests.Logs;

/// <summary>
/// A test image whose container writes <c>COUNT</c> numbered lines ("line 1", "line 2", …), pausing <c>PAUSE_US</c> µs every
/// <c>PAUSE_EVERY</c> lines, then echoes <c>SECRET</c> and sleeps. Started through the real <see cref="DockerContainerRuntime"/>
/// with MiniPaas labels, so the attacher sees it as a deployment's container.
/// </summary>
internal sealed class LogTestApps(DockerEngineFixture engine) : IAsyncDisposable
{
    private const string Script = """
        i=1
        while [ $i -le $COUNT ]; do
          echo "line $i"
          if [ $((i % PAUSE_EVERY)) -eq 0 ]; then usleep $PAUSE_US; fi
          i=$((i+1))
        done
        if [ -n "$SECRET" ]; then echo "connecting with token $SECRET"; echo "oops $SECRET" >&2; fi
        echo "done writing"
        exec sleep 3600
        """;

    private readonly List<string> _containers = [];
    private readonly DockerClientProvider _clients = new(Options.Create(new DockerOptions { Endpoint = engine.Endpoint }));
    private string? _image;

    private readonly DockerContainerRuntime _runtime = new(
        new DockerClientProvider(Options.Create(new DockerOptions { Endpoint = engine.Endpoint })), Options.Create(new RuntimeOptions { NetworkMode = "host", LogMaxSize = "50m", LogMaxFiles = 2 }), TimeProvider.System,
        NullLogger<DockerContainerRuntime>.Instance);

    public async Task<string> StartAsync(
        string instanceId, long projectId, long deploymentId, int count, int pauseEvery = 1_000_000, int pauseMicros = 0, string? secret = null)
    {
        _image ??= await BuildImageAsync();
        var name = DockerEngineFixture.UniqueName("logs");
        var info = await _runtime.StartAsync(new ContainerSpec(
            name,
            _image,
            new Dictionary<string, string>
            {
                ["COUNT"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PAUSE_EVERY"] = pauseEvery.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PAUSE_US"] = pauseMicros.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SECRET"] = secret ?? string.Empty,
            },
            new Dictionary<string, string>
            {
                [ContainerLabels.Instance] = instanceId,
                [ContainerLabels.Project] = projectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [ContainerLabels.Deployment] = deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [DockerEngineFixture.TestLabel] = "true",
            },
            Port: 0,
            Cpus: null,
            MemoryMiB: null));
        _containers.Add(info.Id);
        return info.Id;
    }

    private async Task<string> BuildImageAsync()
    {
        var tag = DockerEngineFixture.UniqueName("logger-img") + ":test";
        await engine.BuildImageAsync(
            tag,
            $"FROM {DockerEngineFixture.BusyboxImage}\nCOPY run.sh /run.sh\nCMD [\"sh\", \"/run.sh\"]\n",
            new Dictionary<string, string> { ["run.sh"] = Script });
        return tag;
    }

    /// <summary>A project with one deployment, as rows the log tables can refer to.</summary>
    public static async Task<(long ProjectId, long DeploymentId)> SeedDeploymentAsync(string connectionString, string name, long? projectId = null)
    {
        await using var db = new FixedDbContextFactory(connectionString).CreateDbContext();
        var now = DateTimeOffset.UtcNow;
        if (projectId is null)
        {
            var project = new ProjectRecord { Name = name, Subdomain = name, SourceUrl = "/tmp/none", CreatedAt = now, UpdatedAt = now };
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            projectId = project.Id;
        }

        var deployment = new DeploymentRecord { ProjectId = projectId.Value, Status = DeploymentStatus.Running, CreatedAt = now };
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        return (projectId.Value, deployment.Id);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _containers)
        {
            await engine.RemoveContainerQuietlyAsync(id);
        }

        if (_image is not null)
        {
            await engine.RemoveImageQuietlyAsync(_image);
        }

        _runtime.Dispose();
        _clients.Dispose();
    }
}
