using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MiniPaas.Core.Analytics.Stats;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web;

/// <summary>The whole app sampling every second, so charts fill within the test's patience.</summary>
public sealed class FastStatsAppFixture : DeployAppFixture
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings[$"{ContainerStatsOptions.SectionName}:Interval"] = "00:00:01";
    }
}

/// <summary>The project page's Resources tab in real Chromium: empty state, then live CPU and memory of a real deployment.</summary>
[Trait("Category", "Browser")]
[Trait("Needs", "Docker")]
[Collection(SoloAppTests.Name)]
public sealed class ResourceChartsBrowserTests(FastStatsAppFixture app, BrowserFixture browser)
    : IClassFixture<FastStatsAppFixture>, IClassFixture<BrowserFixture>
{
    private static readonly LocatorWaitForOptions Attached = new() { State = WaitForSelectorState.Attached };

    [Fact]
    public async Task ResourcesTab_EmptyThenDeployed_ChartsFillWithoutReload()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("charted"));
        var subdomain = $"charts-{Guid.NewGuid():N}"[..15];
        var created = await app.Projects.CreateAsync(new ProjectSpec(subdomain, subdomain, repo.Path, MemoryLimitMiB: 96));
        Assert.True(created.Succeeded);
        var projectId = created.ProjectId!.Value;

        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync($"projects/{projectId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);
        await page.Locator(".mud-tab", new() { HasText = "Resources" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("resource-empty")).ToContainTextAsync("every 1 s");

        // Deployed behind the page's back: the open tab must pick the samples up from the live feed.
        var deployment = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(deployment.Status == DeploymentStatus.Running, deployment.FailureReason);

        await Assertions.Expect(page.GetByTestId("resource-memory-latest")).ToContainTextAsync("MiB of 96 MiB", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("resource-cpu-latest")).ToContainTextAsync("%", new() { Timeout = 60_000 });
        Assert.Equal(0, await page.GetByTestId("resource-empty").CountAsync());
        // Both charts drew lines (the memory chart its usage and the limit).
        await Assertions.Expect(page.Locator("[data-testid=resource-memory-chart] path.mud-chart-serie")).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=resource-cpu-chart] path.mud-chart-serie")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        // New buckets keep arriving while the page stays open (15 min window → 10 s buckets).
        await Assertions.Expect(page.GetByTestId("resource-points")).ToHaveTextAsync(new Regex(@"^\s*([3-9]|\d{2,}) points"), new() { Timeout = 90_000 });
        await page.ScreenshotAsync(new() { Path = "/tmp/minipaas-resources.png", FullPage = true });

        // Still there after a reload (history from the database this time).
        await page.ReloadAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);
        await page.Locator(".mud-tab", new() { HasText = "Resources" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("resource-memory-latest")).ToContainTextAsync("MiB of 96 MiB", new() { Timeout = 30_000 });
        await page.Context.CloseAsync();
    }
}
