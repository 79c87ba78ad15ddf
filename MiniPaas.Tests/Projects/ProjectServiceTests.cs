using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Projects;

/// <summary>Projects through the service the dashboard uses, on real PostgreSQL: bad input creates nothing; delete removes everything.</summary>
[Trait("Needs", "Docker")]
public sealed class ProjectServiceTests(DeployAppFixture app) : IClassFixture<DeployAppFixture>
{
    public static TheoryData<string, string, string, string, string> HostileInputs => new()
    {
        // field, name, subdomain, source, branch / root directory
        { nameof(ProjectSpec.SourceUrl), "p", "p1", "--upload-pack=touch /tmp/x", "main" },
        { nameof(ProjectSpec.SourceUrl), "p", "p2", "ext::sh -c touch% /tmp/x", "main" },
        { nameof(ProjectSpec.Branch), "p", "p3", "REPO", "main;touch /tmp/x" },
        { nameof(ProjectSpec.Branch), "p", "p4", "REPO", "-x" },
        { nameof(ProjectSpec.Subdomain), "p", "../admin", "REPO", "main" },
        { nameof(ProjectSpec.Subdomain), "p", "Admin", "REPO", "main" },
        { nameof(ProjectSpec.Subdomain), "p", "a--", "REPO", "main" },
        { nameof(ProjectSpec.Subdomain), "p", new string('a', 64), "REPO", "main" },
        { nameof(ProjectSpec.RootDirectory), "p", "p5", "REPO", "../../etc" },
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public async Task CreateAsync_HostileInput_RefusedWithFieldErrorAndNothingCreated(string field, string name, string subdomain, string source, string branchOrRoot)
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("x"));
        var isRoot = field == nameof(ProjectSpec.RootDirectory);
        var spec = new ProjectSpec(name, subdomain, source == "REPO" ? repo.Path : source, isRoot ? "main" : branchOrRoot, RootDirectory: isRoot ? branchOrRoot : null);
        var before = await CountProjectsAsync();

        var result = await app.Projects.CreateAsync(spec);

        Assert.False(result.Succeeded);
        Assert.True(result.Errors.ContainsKey(field), $"expected an error on {field}, got: {string.Join("; ", result.Errors)}");
        Assert.False(string.IsNullOrWhiteSpace(result.Errors[field]));
        Assert.Equal(before, await CountProjectsAsync());
        Assert.False(File.Exists("/tmp/x"));
    }

    [Fact]
    public async Task CreateAsync_SubdomainAlreadyTaken_Refused()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("x"));
        var subdomain = $"taken-{Guid.NewGuid():N}"[..14];
        Assert.True((await app.Projects.CreateAsync(new ProjectSpec(subdomain, subdomain, repo.Path))).Succeeded);

        var again = await app.Projects.CreateAsync(new ProjectSpec(subdomain + "-other", subdomain, repo.Path));

        Assert.True(again.Errors.ContainsKey(nameof(ProjectSpec.Subdomain)));
    }

    [Fact]
    public async Task DeleteAsync_DeployedProject_RemovesContainerImageAndRowsOnlyAfterTypedConfirmation()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("to be deleted"));
        var subdomain = $"gone-{Guid.NewGuid():N}"[..13];
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var deployment = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.Equal(DeploymentStatus.Running, deployment.Status);
        var runtime = app.Get<IContainerRuntime>();

        await Assert.ThrowsAsync<DeploymentException>(() => app.Projects.DeleteAsync(projectId, "wrong name"));
        Assert.Equal(200, (await app.GetAppAsync(subdomain)).Status);

        await app.Projects.DeleteAsync(projectId, subdomain);

        Assert.Null(await app.Projects.GetAsync(projectId));
        Assert.Equal(404, (await app.GetAppAsync(subdomain)).Status);
        Assert.False(await runtime.ImageExistsAsync(deployment.ImageTag!));
        var projectLabel = projectId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var instanceId = await app.Get<Installation>().IdAsync;
        Assert.DoesNotContain(await runtime.ListManagedAsync(), c => ContainerLabels.BelongsTo(c.Labels, instanceId) && c.Labels[ContainerLabels.Project] == projectLabel);
        await using var db = await app.Get<IDbContextFactory<MiniPaasDbContext>>().CreateDbContextAsync();
        Assert.False(await db.BuildLogs.AnyAsync(l => l.DeploymentId == deployment.Id));
    }

    private async Task<int> CountProjectsAsync() => (await app.Get<IProjectDirectory>().ListAsync()).Count;
}
