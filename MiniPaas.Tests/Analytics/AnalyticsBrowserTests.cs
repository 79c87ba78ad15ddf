using Microsoft.Playwright;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Analytics;

/// <summary>The analytics page in real Chromium, with a really deployed app: traffic shows up live, without a reload.</summary>
[Trait("Category", "Browser")]
[Trait("Needs", "Docker")]
public sealed class AnalyticsBrowserTests(DeployAppFixture app, BrowserFixture browser)
    : IClassFixture<DeployAppFixture>, IClassFixture<BrowserFixture>
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Traffic_ToDeployedApp_ChangesRequestsChartAndVisitorsOnOpenPage()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("counted"));
        var subdomain = $"ana-{Guid.NewGuid():N}"[..12];
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var deploymentId = await app.Deployments.DeployAsync(projectId);
        Assert.Equal(DeploymentStatus.Running, (await app.WaitForOutcomeAsync(projectId, deploymentId)).Status);

        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync($"projects/{projectId}/analytics");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.GetByTestId("analytics-empty")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("analytics-requests-total")).ToHaveTextAsync("0");
        await page.EvaluateAsync("() => window.__sameDocument = true");

        // One visitor (one address, one user agent), five requests.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, await GetAsync(subdomain, "/", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"));
        }

        await Assertions.Expect(page.GetByTestId("analytics-requests-total")).ToHaveTextAsync("5", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("analytics-visitors-total")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        var chart = page.GetByTestId("chart-requests");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-total", "5");
        await Assertions.Expect(chart.Locator("svg path").First).ToBeAttachedAsync(new() { Timeout = 30_000 });
        var drawnBefore = await ChartPathsAsync(chart);

        // A second visitor (another user agent) and three more requests.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, await GetAsync(subdomain, "/", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15"));
        }

        await Assertions.Expect(page.GetByTestId("analytics-requests-total")).ToHaveTextAsync("8", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("analytics-visitors-total")).ToHaveTextAsync("2", new() { Timeout = 30_000 });
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-total", "8");
        await Assertions.Expect(page.GetByTestId("analytics-empty")).ToHaveCountAsync(0);
        var drawnAfter = await ChartPathsAsync(chart);
        Assert.NotEqual(drawnBefore, drawnAfter);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page must update without a reload");
        Assert.Contains("/", await page.GetByTestId("top-paths").TextContentAsync() ?? "", StringComparison.Ordinal);
    }

    private static async Task<string> ChartPathsAsync(ILocator chart) =>
        string.Join('|', await chart.Locator("svg path").EvaluateAllAsync<string[]>("paths => paths.map(p => p.getAttribute('d') ?? '')"));

    private async Task<int> GetAsync(string subdomain, string path, string userAgent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{app.IngressPort}{path}"));
        request.Headers.Host = $"{subdomain}.localhost:{app.IngressPort}";
        request.Headers.UserAgent.ParseAdd(userAgent);
        using var response = await Client.SendAsync(request);
        return (int)response.StatusCode;
    }
}
