using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Benchmarks;

/// <summary>
/// Projects with a running deployment written straight into MiniPaas's database, each with a container started on the engine
/// under MiniPaas's labels (so the log attacher and the stats sampler of <paramref name="host"/> take it as theirs) without a
/// build. Dispose removes the containers this instance started, and only those.
/// </summary>
public sealed class SeededContainers(MiniPaasHost host, DockerClient docker) : IAsyncDisposable
{
    private readonly List<string> _containers = [];

    /// <summary>A project (name <paramref name="prefix"/>-random) with one deployment in state Running.</summary>
    public async Task<(long ProjectId, long DeploymentId)> SeedAsync(string prefix, CancellationToken ct)
    {
        await using var db = await host.Get<IDbContextFactory<MiniPaasDbContext>>().CreateDbContextAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var name = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        var project = new ProjectRecord { Name = name, Subdomain = name, SourceUrl = "/tmp/none", CreatedAt = now, UpdatedAt = now };
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        var deployment = new DeploymentRecord { ProjectId = project.Id, Status = DeploymentStatus.Running, CreatedAt = now };
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync(ct);
        return (project.Id, deployment.Id);
    }

    /// <summary>Starts <paramref name="command"/> in <paramref name="image"/> (host network, init) labelled as the deployment's container.</summary>
    public async Task<string> StartAsync(long projectId, long deploymentId, string image, IList<string> command, CancellationToken ct)
    {
        var instanceId = await host.Get<Installation>().IdAsync.WaitAsync(ct);
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = "minipaas-bench-" + Guid.NewGuid().ToString("N")[..10],
            Image = image,
            Cmd = command,
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.Managed] = "true",
                [ContainerLabels.Instance] = instanceId,
                [ContainerLabels.Project] = projectId.ToString(CultureInfo.InvariantCulture),
                [ContainerLabels.Deployment] = deploymentId.ToString(CultureInfo.InvariantCulture),
            },
            HostConfig = new HostConfig
            {
                NetworkMode = "host",
                Init = true,
                LogConfig = new LogConfig { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "50m", ["max-file"] = "2" } },
            },
        }, ct);
        _containers.Add(created.ID);
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct);
        return created.ID;
    }

    /// <summary>Removes (forced) one container this instance started.</summary>
    public async Task RemoveAsync(string containerId)
    {
        try
        {
            await docker.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
        catch (DockerApiException)
        {
            // Already gone.
        }

        _containers.Remove(containerId);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _containers.ToList())
        {
            await RemoveAsync(id);
        }
    }
}
