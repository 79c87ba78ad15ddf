using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Shared.Fakes;

namespace MiniPaas.Tests.Projects;

/// <summary>Deleting a project while the reconciler runs, on real PostgreSQL and the real engine.</summary>
[Trait("Needs", "Docker")]
public sealed class ProjectDeleteReconcileTests(ProjectDeleteReconcileTests.HookedRuntimeAppFixture app)
    : IClassFixture<ProjectDeleteReconcileTests.HookedRuntimeAppFixture>
{
    [Fact]
    public async Task DeleteAsync_ReconcilePassWhileContainerIsRemoved_RouteDoesNotComeBack()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("deleted while reconciling"));
        var subdomain = $"race-{Guid.NewGuid():N}"[..13];
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var deployment = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(deployment.Status == DeploymentStatus.Running, deployment.FailureReason);
        string containerId;
        await using (var db = await app.Get<IDbContextFactory<MiniPaasDbContext>>().CreateDbContextAsync())
        {
            containerId = (await db.Deployments.Where(d => d.Id == deployment.Id).Select(d => d.ContainerId).SingleAsync())!;
        }

        var routes = app.Get<IRouteTable>();
        var reconciler = app.Get<Reconciler>();
        var passRan = false;
        AppRoute? routeAfterPass = null;
        // The deletion has removed the route but neither the container nor the row yet: the moment a pass used to put it back.
        app.Get<HookedContainerRuntime>().BeforeNextRemoveOf(containerId, async () =>
        {
            await reconciler.ReconcileAsync(isStartup: false);
            passRan = true;
            routeAfterPass = routes.Find(subdomain);
        });

        await app.Projects.DeleteAsync(projectId, subdomain);

        Assert.True(passRan);
        Assert.Null(routeAfterPass);
        Assert.Null(routes.Find(subdomain));
        // A pass after the deletion (the row is gone) does not bring it back either.
        await reconciler.ReconcileAsync(isStartup: false);
        Assert.Null(routes.Find(subdomain));
        Assert.Equal(404, (await app.GetAppAsync(subdomain)).Status);
    }

    /// <summary>The deploy app with its container runtime wrapped, so a test can run a reconcile pass mid-deletion.</summary>
    public sealed class HookedRuntimeAppFixture : DeployAppFixture
    {
        protected override void ConfigureServices(IServiceCollection services)
        {
            base.ConfigureServices(services);
            HookedContainerRuntime.Register(services);
        }
    }
}
