using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Shared.Fakes;

namespace MiniPaas.Tests.Projects;

/// <summary>Stopping a project while the reconciler runs, on real PostgreSQL and the real engine.</summary>
[Trait("Needs", "Docker")]
public sealed class ProjectStopReconcileTests(ProjectDeleteReconcileTests.HookedRuntimeAppFixture app)
    : IClassFixture<ProjectDeleteReconcileTests.HookedRuntimeAppFixture>
{
    [Fact]
    public async Task StopAsync_ReconcilePassRightAfterTheContainerStopped_ShowsStoppedNotCrashed()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("stopped while reconciling"));
        var subdomain = $"stop-{Guid.NewGuid():N}"[..13];
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var deployment = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(deployment.Status == DeploymentStatus.Running, deployment.FailureReason);
        string containerId;
        await using (var db = await app.Get<IDbContextFactory<MiniPaasDbContext>>().CreateDbContextAsync())
        {
            containerId = (await db.Deployments.Where(d => d.Id == deployment.Id).Select(d => d.ContainerId).SingleAsync())!;
        }

        var reconciler = app.Get<Reconciler>();
        DeploymentStatus? statusAfterPass = null;
        // The container has exited and the stop has not returned yet: the moment a pass used to take the exit for a crash.
        app.Get<HookedContainerRuntime>().AfterNextStopOf(containerId, async () =>
        {
            await reconciler.ReconcileAsync(isStartup: false);
            statusAfterPass = (await app.Projects.ListDeploymentsAsync(projectId)).Single(d => d.Id == deployment.Id).Status;
        });

        await app.Deployments.StopAsync(projectId);

        Assert.Equal(DeploymentStatus.Stopped, statusAfterPass);
        await reconciler.ReconcileAsync(isStartup: false);
        Assert.Equal(DeploymentStatus.Stopped, (await app.Projects.ListDeploymentsAsync(projectId)).Single(d => d.Id == deployment.Id).Status);
        Assert.Equal("stopped", app.Get<IRouteTable>().Find(subdomain)?.Status);
        Assert.Equal(503, (await app.GetAppAsync(subdomain)).Status);
    }
}
