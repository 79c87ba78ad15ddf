using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web;

/// <summary>
/// Runs alone, after the parallel classes: every MiniPaas instance's reconciler removes labelled containers its own database
/// does not know, so another app fixture starting meanwhile (e.g. <see cref="DashboardAppFixture"/>) would kill this test's app.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoloAppTests
{
    public const string Name = "Solo MiniPaas instance";
}

/// <summary>The project pages in real Chromium against the whole app: real PostgreSQL, real Docker engine, real ingress.</summary>
[Trait("Category", "Browser")]
[Trait("Needs", "Docker")]
[Collection(SoloAppTests.Name)]
public sealed partial class ProjectPagesBrowserTests(DeployAppFixture app, BrowserFixture browser)
    : IClassFixture<DeployAppFixture>, IClassFixture<BrowserFixture>
{
    private static readonly LocatorWaitForOptions Attached = new() { State = WaitForSelectorState.Attached };

    [Fact]
    public async Task CreateAndDeploy_LocalRepo_ReachesRunningAndServesInBrowser()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("hello from the browser"));
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var name = $"Browser Site {suffix}";
        var subdomain = $"browser-site-{suffix}";
        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync("projects/new");
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);

        await page.Locator("#project-name").FillAsync(name);
        // The subdomain follows the name until edited by hand, with the address it will have.
        await Assertions.Expect(page.Locator("#project-subdomain")).ToHaveValueAsync(subdomain);
        await Assertions.Expect(page.GetByTestId("subdomain-preview")).ToHaveTextAsync(app.Ingress.BaseUrlFor(subdomain).ToString());
        await page.Locator("#project-source").FillAsync(repo.Path);
        await page.GetByTestId("create-deploy-button").ClickAsync();

        // Blazor navigates with the history API: polling the URL is reliable where waiting for a navigation event is not.
        await Assertions.Expect(page).ToHaveURLAsync(ProjectUrl(), new() { Timeout = 90_000 });
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);
        await Assertions.Expect(page.GetByTestId("project-status")).ToHaveTextAsync("Running", new() { Timeout = 90_000 });

        var project = (await app.Get<IProjectDirectory>().ListAsync()).Single(p => p.Subdomain == subdomain);
        Assert.EndsWith($"/projects/{project.Id}", page.Url, StringComparison.Ordinal);
        var deployment = Assert.Single(await app.Projects.ListDeploymentsAsync(project.Id));
        Assert.Equal(DeploymentStatus.Running, deployment.Status);
        await Assertions.Expect(page.GetByTestId($"deployment-row-{deployment.Id}")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId($"deployment-status-{deployment.Id}")).ToHaveTextAsync("Running");
        await page.ScreenshotAsync(new() { Path = "/tmp/minipaas-project.png", FullPage = true });

        var liveUrl = page.GetByTestId("live-url");
        var href = await liveUrl.GetAttributeAsync("href");
        Assert.Equal(app.Ingress.BaseUrlFor(subdomain).ToString(), href);
        await Assertions.Expect(liveUrl).ToHaveAttributeAsync("target", "_blank");

        await page.Locator(".mud-tab", new() { HasText = "Build log" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("build-log")).ToContainTextAsync("Step 1/");
        await page.Locator(".mud-tab", new() { HasText = "Dockerfile" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("dockerfile-hint")).ToHaveTextAsync("The repository's own Dockerfile was used.");
        await page.Locator(".mud-tab", new() { HasText = "Build log" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("build-log")).ToContainTextAsync("Step 1/");
        await page.ScreenshotAsync(new() { Path = "/tmp/minipaas-build-log.png", FullPage = true });

        // Chromium resolves *.localhost to loopback by itself, so the live link opens as a user would open it.
        var appPage = await page.Context.NewPageAsync();
        await appPage.GotoAsync(href!);
        await Assertions.Expect(appPage.Locator("body")).ToContainTextAsync("hello from the browser");
        await appPage.CloseAsync();

        // Delete asks for the name, then goes back to the list.
        await page.GetByTestId("delete-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("delete-confirm")).ToBeDisabledAsync();
        await page.Locator("#delete-confirmation").FillAsync(name);
        await page.GetByTestId("delete-confirm").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/projects$"));
        Assert.DoesNotContain(await app.Get<IProjectDirectory>().ListAsync(), p => p.Id == project.Id);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Create_ReservedSubdomainAndOptionLikeRepository_ShowsFieldErrorsAndCreatesNothing()
    {
        var marker = Path.Combine(Path.GetTempPath(), "minipaas-upload-pack-" + Guid.NewGuid().ToString("N")[..8]);
        var before = (await app.Get<IProjectDirectory>().ListAsync()).Count;
        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync("projects/new");
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);

        var suffix = Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#project-name").FillAsync("Invalid form " + suffix);
        // As a person would: the suggestion lands before the subdomain is typed (a patch arriving after typing would overwrite it).
        await Assertions.Expect(page.Locator("#project-subdomain")).ToHaveValueAsync("invalid-form-" + suffix);
        await page.Locator("#project-subdomain").FillAsync("Admin");
        await page.Locator("#project-source").FillAsync($"--upload-pack=touch {marker}");
        await Assertions.Expect(page.Locator("#project-subdomain")).ToHaveValueAsync("Admin");
        await page.GetByTestId("create-button").ClickAsync();
        await Assertions.Expect(page.Locator("#project-subdomain")).ToHaveValueAsync("Admin");

        await Assertions.Expect(page.GetByTestId("field-error-Subdomain")).ToContainTextAsync("lowercase");
        await Assertions.Expect(page.GetByTestId("field-error-SourceUrl")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("form-invalid")).ToContainTextAsync("Nothing was created");
        await Assertions.Expect(page.GetByTestId("field-error-Name")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = "/tmp/minipaas-new-project-invalid.png", FullPage = true });
        Assert.EndsWith("/projects/new", page.Url, StringComparison.Ordinal);
        Assert.Equal(before, (await app.Get<IProjectDirectory>().ListAsync()).Count);
        Assert.False(File.Exists(marker), "the repository field reached git as an option");

        // Fixing the subdomain clears its error on the next attempt; the repository error stays.
        await page.Locator("#project-subdomain").FillAsync("fine-" + Guid.NewGuid().ToString("N")[..6]);
        await page.GetByTestId("create-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("field-error-Subdomain")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("field-error-SourceUrl")).ToBeVisibleAsync();
        Assert.Equal(before, (await app.Get<IProjectDirectory>().ListAsync()).Count);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ProjectPage_StopStartDeployRollbackAndInvalidSettings_FollowsLiveState()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("first version"));
        var subdomain = "actions-" + Guid.NewGuid().ToString("N")[..8];
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var first = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(first.Status == DeploymentStatus.Running, first.FailureReason);
        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync($"projects/{projectId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);
        await Assertions.Expect(page.GetByTestId("project-status")).ToHaveTextAsync("Running");

        // Stop asks first; then the page shows the project stopped and the app answers 503.
        await page.GetByTestId("stop-button").ClickAsync();
        await page.Locator(".mud-dialog button", new() { HasText = "Stop" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("project-status")).ToHaveTextAsync("Stopped");
        await Assertions.Expect(page.GetByTestId("live-url")).ToHaveCountAsync(0);
        Assert.Equal(503, (await app.GetAppAsync(subdomain)).Status);

        await page.GetByTestId("start-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("project-status")).ToHaveTextAsync("Running");
        Assert.Equal((200, "first version"), await app.GetAppAsync(subdomain));

        // A new commit deployed from the page appears as a new row and goes live.
        await repo.CommitAsync(new Dictionary<string, string> { ["index.html"] = "second version" }, "second version\n\nwith a body");
        await page.GetByTestId("deploy-button").ClickAsync();
        var second = await LatestDeploymentIdAsync(projectId, after: first.Id);
        await Assertions.Expect(page.GetByTestId($"deployment-status-{second}")).ToHaveTextAsync("Running", new() { Timeout = 90_000 });
        await Assertions.Expect(page.GetByTestId($"deployment-row-{second}")).ToContainTextAsync("second version");
        await Assertions.Expect(page.GetByTestId($"deployment-row-{second}")).Not.ToContainTextAsync("with a body");
        await Assertions.Expect(page.GetByTestId($"deployment-status-{first.Id}")).ToHaveTextAsync("Superseded");
        Assert.Equal((200, "second version"), await SettledAppAsync(subdomain, "second version"));

        // Rolling back to the first deployment asks first, then serves its image again.
        await page.GetByTestId($"rollback-{first.Id}").ClickAsync();
        await page.Locator(".mud-dialog button", new() { HasText = "Roll back" }).ClickAsync();
        var rollback = await LatestDeploymentIdAsync(projectId, after: second);
        await Assertions.Expect(page.GetByTestId($"deployment-status-{rollback}")).ToHaveTextAsync("Running", new() { Timeout = 90_000 });
        await Assertions.Expect(page.GetByTestId($"deployment-row-{rollback}")).ToContainTextAsync("rollback");
        await Assertions.Expect(page.GetByTestId($"deployment-status-{second}")).ToHaveTextAsync("Superseded");
        Assert.Equal((200, "first version"), await SettledAppAsync(subdomain, "first version"));

        // Settings: an invalid subdomain is refused at its field and nothing changes.
        await page.Locator(".mud-tab", new() { HasText = "Settings" }).ClickAsync();
        await page.Locator("#project-subdomain").FillAsync("Admin");
        await page.GetByTestId("save-settings").ClickAsync();
        await Assertions.Expect(page.GetByTestId("field-error-Subdomain")).ToContainTextAsync("lowercase");
        Assert.Equal(subdomain, (await app.Projects.GetAsync(projectId))!.Subdomain);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ProjectPage_BuildStepFails_ShowsFailedWithReasonAndRedErrorLine()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("x", """RUN ["sh", "-c", "echo npm ERR! missing script: build; exit 3"]"""));
        var subdomain = "broken-" + Guid.NewGuid().ToString("N")[..8];
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync($"projects/{projectId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);
        await Assertions.Expect(page.GetByTestId("project-status")).ToHaveTextAsync("NotDeployed");
        // The project sets no limits of its own: MiniPaas's defaults are what its container will get.
        await Assertions.Expect(page.GetByTestId("container-limits")).ToHaveTextAsync("Limits: 1 CPU · 512 MiB · 256 processes");

        await page.GetByTestId("deploy-button").ClickAsync();

        await Assertions.Expect(page.GetByTestId("project-status")).ToHaveTextAsync("Failed", new() { Timeout = 90_000 });
        var deploymentId = (await app.Projects.ListDeploymentsAsync(projectId)).Single().Id;
        await Assertions.Expect(page.GetByTestId($"deployment-failure-{deploymentId}")).ToContainTextAsync("returned a non-zero code: 3");
        await Assertions.Expect(page.GetByTestId("live-url")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("redeploy-button")).ToBeDisabledAsync();

        await page.GetByTestId($"logs-{deploymentId}").ClickAsync();
        var errorLine = page.GetByTestId("build-log").Locator(".minipaas-log-error").First;
        await Assertions.Expect(errorLine).ToBeVisibleAsync();
        var color = await errorLine.EvaluateAsync<string>("e => getComputedStyle(e).color");
        var normal = await page.GetByTestId("build-log").EvaluateAsync<string>("e => getComputedStyle(e).color");
        Assert.NotEqual(normal, color);
        await page.ScreenshotAsync(new() { Path = "/tmp/minipaas-project-failed.png", FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task DockerfileTab_RepoWithoutDockerfile_ShowsGeneratedDockerfileWithHint()
    {
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["package.json"] = """{ "name": "sample", "version": "1.0.0", "scripts": { "start": "node server.js" } }""",
            ["server.js"] = "require('http').createServer((req, res) => res.end('node in the browser')).listen(process.env.PORT);",
        });
        var projectId = await app.CreateProjectAsync(repo, "gen-" + Guid.NewGuid().ToString("N")[..8]);
        var outcome = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync($"projects/{projectId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);

        await page.Locator(".mud-tab", new() { HasText = "Dockerfile" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("generated-dockerfile")).ToContainTextAsync($"FROM {DockerEngineFixture.NodeImage}");
        await Assertions.Expect(page.GetByTestId("dockerfile-hint")).ToContainTextAsync(
            "MiniPaas generated this Dockerfile because the repository has none. Save it as Dockerfile in your repository to customise the build.");
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The app's answer once it is <paramref name="expected"/>, or the last answer after 10 s. Needed because, while the old
    /// deployment drains, both are Running in the database and a reconciler pass may point the route back at the old one for
    /// up to one reconcile interval (a deploy-engine race, reported; not something the page controls).
    /// </summary>
    private async Task<(int Status, string Body)> SettledAppAsync(string subdomain, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var answer = await app.GetAppAsync(subdomain);
            if (answer == (200, expected) || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(200);
        }
    }

    private async Task<long> LatestDeploymentIdAsync(long projectId, long after)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var latest = (await app.Projects.ListDeploymentsAsync(projectId, ct: cts.Token)).Max(d => d.Id);
            if (latest > after)
            {
                return latest;
            }

            await Task.Delay(100, cts.Token);
        }
    }

    [GeneratedRegex(@"/projects/\d+$")]
    private static partial Regex ProjectUrl();
}
