using Microsoft.Playwright;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Variables;

/// <summary>The pre-deploy check on the project page, in real Chromium: missing variables are named before a deploy.</summary>
[Trait("Category", "Browser")]
[Trait("Needs", "Docker")]
public sealed class PreDeployCheckBrowserTests(DeployAppFixture app, BrowserFixture browser)
    : IClassFixture<DeployAppFixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Deploy_CodeReadsUnsetVariable_NamesItThenDeploysAnywayOnRequest()
    {
        var files = DeployEngineTests.BusyboxSite("needs a database");
        files["server.js"] = "const url = process.env.DATABASE_URL;\nconsole.log(url);\n";
        using var repo = await SampleRepo.CreateAsync(files);
        var subdomain = $"pre-{Guid.NewGuid():N}"[..12];
        var projectId = await app.CreateProjectAsync(repo, subdomain);

        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync($"projects/{projectId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        // First: choose to set the variables, which leads to the variables page and deploys nothing.
        await page.GetByTestId("deploy-button").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync("DATABASE_URL", new() { Timeout = 30_000 });
        await Assertions.Expect(dialog).ToContainTextAsync("server.js:1");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Set variables first" }).ClickAsync();
        // Blazor navigates in the page (history API); waiting for the variables page's content is what is reliable.
        await Assertions.Expect(page.GetByTestId("variables-empty")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.EndsWith($"/projects/{projectId}/variables", page.Url, StringComparison.Ordinal);
        Assert.Empty(await app.Projects.ListDeploymentsAsync(projectId));

        // Then: deploy anyway.
        await page.GotoAsync($"projects/{projectId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByTestId("deploy-button").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Deploy anyway" }).ClickAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("project-status")).ToHaveTextAsync("Running", new() { Timeout = 90_000 });
        var deployment = Assert.Single(await app.Projects.ListDeploymentsAsync(projectId));
        Assert.Equal(DeploymentStatus.Running, deployment.Status);
    }
}
