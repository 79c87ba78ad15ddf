using Docker.DotNet.Models;
using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Deploying;

/// <summary>MiniPaas going away and coming back: apps keep serving, half-done deployments are failed, routes return.</summary>
[Trait("Needs", "Docker")]
public sealed class RestartRecoveryTests(DockerEngineFixture engine) : IClassFixture<DockerEngineFixture>
{
    [Fact]
    public async Task Restart_DuringBuild_AppsKeepServingAreReadoptedAndBuildsMarkedInterrupted()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("survives restarts"));
        var subdomain = $"restart-{Guid.NewGuid():N}"[..16];
        var first = new DeployAppFixture { RemoveAppsOnDispose = false };
        await first.InitializeAsync();
        long projectId;
        string upstream;
        long slowDeploymentId;
        string instanceId;
        try
        {
            instanceId = await first.Get<Installation>().IdAsync;
            projectId = await first.CreateProjectAsync(repo, subdomain);
            var running = await first.WaitForOutcomeAsync(projectId, await first.Deployments.DeployAsync(projectId));
            Assert.True(running.Status == DeploymentStatus.Running, running.FailureReason);
            await using (var db = await first.Get<IDbContextFactory<MiniPaasDbContext>>().CreateDbContextAsync())
            {
                upstream = (await db.Deployments.SingleAsync(d => d.Id == running.Id)).Upstream!;
            }

            // A slow build is under way when MiniPaas stops.
            await repo.CommitAsync(DeployEngineTests.BusyboxSite("never served", """RUN ["sh", "-c", "sleep 60"]"""), "slow");
            slowDeploymentId = await first.Deployments.DeployAsync(projectId);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while ((await first.Projects.ListDeploymentsAsync(projectId, ct: cts.Token)).Single(d => d.Id == slowDeploymentId).Status != DeploymentStatus.Building)
            {
                await Task.Delay(100, cts.Token);
            }
        }
        finally
        {
            await first.DisposeAsync();
        }

        // MiniPaas is gone; the app container still answers on its own port.
        Assert.Equal("survives restarts", await DirectGetAsync(upstream));

        // What a kill -9 leaves behind: a deployment row stuck in "building", and a labelled container without a row.
        long stuckId;
        await using (var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(first.DatabaseConnectionString)))
        {
            var stuck = new DeploymentRecord { ProjectId = projectId, Status = DeploymentStatus.Building, CreatedAt = DateTimeOffset.UtcNow, Trigger = "manual" };
            db.Deployments.Add(stuck);
            await db.SaveChangesAsync();
            stuckId = stuck.Id;
        }

        var orphan = await StartOrphanContainerAsync(instanceId);
        var foreign = await StartOrphanContainerAsync("another-installation");

        var second = new DeployAppFixture { ExistingConnectionString = first.DatabaseConnectionString };
        await second.InitializeAsync();
        try
        {
            await second.Get<Reconciler>().FirstPass.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal((200, "survives restarts"), await second.GetAppAsync(subdomain));
            var deployments = await second.Projects.ListDeploymentsAsync(projectId);
            var slow = deployments.Single(d => d.Id == slowDeploymentId);
            Assert.Equal(DeploymentStatus.Failed, slow.Status);
            Assert.Contains("interrupted", slow.FailureReason, StringComparison.Ordinal);
            var stuck = deployments.Single(d => d.Id == stuckId);
            Assert.Equal(DeploymentStatus.Failed, stuck.Status);
            Assert.Contains("interrupted by a restart", stuck.FailureReason, StringComparison.Ordinal);
            Assert.False(await ContainerExistsAsync(orphan));
            Assert.True(await ContainerExistsAsync(foreign), "a container of another installation sharing the engine was removed");
        }
        finally
        {
            await second.DisposeAsync();
            await engine.RemoveContainerQuietlyAsync(foreign);
        }
    }

    [Fact]
    public async Task StartupPass_RunningLate_FailsOnlyDeploymentsBegunBeforeTheProcessStarted()
    {
        var app = new DeployAppFixture();
        await app.InitializeAsync();
        try
        {
            await AssertLatePassAsync(app);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static async Task AssertLatePassAsync(DeployAppFixture app)
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("late pass"));
        var projectId = await app.CreateProjectAsync(repo, $"late-{Guid.NewGuid():N}"[..14]);

        // Rows as a crash before this start leaves them, and as this process writes them when a deploy is asked for while
        // the start-up pass still waits for the engine (written, not yet picked up by a pipeline).
        long before;
        long since;
        await using (var db = await app.Get<IDbContextFactory<MiniPaasDbContext>>().CreateDbContextAsync())
        {
            var stale = new DeploymentRecord { ProjectId = projectId, Status = DeploymentStatus.Building, CreatedAt = DateTimeOffset.UtcNow.AddHours(-1), Trigger = "manual" };
            var fresh = new DeploymentRecord { ProjectId = projectId, Status = DeploymentStatus.Queued, CreatedAt = DateTimeOffset.UtcNow, Trigger = "manual" };
            db.Deployments.AddRange(stale, fresh);
            await db.SaveChangesAsync();
            (before, since) = (stale.Id, fresh.Id);
        }

        await app.Get<Reconciler>().ReconcileAsync(isStartup: true);

        var deployments = await app.Projects.ListDeploymentsAsync(projectId);
        Assert.Equal(DeploymentStatus.Failed, deployments.Single(d => d.Id == before).Status);
        Assert.Equal(DeploymentStatus.Queued, deployments.Single(d => d.Id == since).Status);
    }

    private static async Task<string> DirectGetAsync(string upstream)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        return await client.GetStringAsync(new Uri($"http://{upstream}/"));
    }

    private async Task<string> StartOrphanContainerAsync(string instanceId)
    {
        var name = DockerEngineFixture.UniqueName("orphan");
        var created = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = DockerEngineFixture.BusyboxImage,
            Cmd = ["sleep", "300"],
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.Managed] = "true",
                [ContainerLabels.Instance] = instanceId,
                [ContainerLabels.Project] = "999999",
                [ContainerLabels.Deployment] = "999999",
                [DockerEngineFixture.TestLabel] = "true",
            },
            HostConfig = new HostConfig { NetworkMode = "none", Init = true },
        });
        await engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }

    private async Task<bool> ContainerExistsAsync(string id)
    {
        var all = await engine.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true });
        return all.Any(c => c.ID == id);
    }
}
