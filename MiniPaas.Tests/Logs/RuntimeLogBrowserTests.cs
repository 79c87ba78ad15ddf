using Microsoft.Playwright;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Variables;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Web;

namespace MiniPaas.Tests.Logs;

/// <summary>The runtime log viewer in real Chromium against the whole app, a real deployed app, real PostgreSQL and the real engine.</summary>
[Trait("Category", "Browser")]
[Trait("Needs", "Docker")]
[Collection(SoloAppTests.Name)]
public sealed class RuntimeLogBrowserTests(DeployAppFixture app, BrowserFixture browser)
    : IClassFixture<DeployAppFixture>, IClassFixture<BrowserFixture>
{
    private const string Secret = "tok-browser-secret-77";
    private static readonly LocatorWaitForOptions Attached = new() { State = WaitForSelectorState.Attached };

    private static Dictionary<string, string> LoggingApp(string version) => new()
    {
        ["Dockerfile"] = $"""
            FROM {DockerEngineFixture.NodeImage}
            COPY server.js /app/server.js
            CMD ["node", "/app/server.js"]
            """,
        ["server.js"] = $$"""
            const http = require("http");
            console.log("started {{version}}");
            console.log("<img src=x onerror=alert(1)>");
            console.log("<script>alert(2)</script>");
            console.log("\x1b[31mred alert\x1b[0m then \x1b]8;;https://example.com\x1b\\a link\x1b]8;;\x1b\\");
            console.log("token is " + process.env.API_TOKEN);
            console.error("ERROR something went wrong on stderr");
            for (let i = 1; i <= 300; i++) console.log("filler " + i);
            http.createServer((req, res) => {
              if (req.url.startsWith("/hello")) console.log("request " + req.url);
              res.end("ok");
            }).listen(process.env.PORT);
            """,
    };

    [Fact]
    public async Task RuntimeLogs_DeployedApp_LiveLinesFollowPauseSearchAcrossDeploymentsAndSafeRendering()
    {
        using var repo = await SampleRepo.CreateAsync(LoggingApp("v1"));
        var subdomain = $"logs-{Guid.NewGuid():N}"[..14];
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        Assert.True((await app.Get<ProjectVariables>().SetAsync(projectId, "API_TOKEN", Secret, "tests")).Succeeded);
        var first = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(first.Status == DeploymentStatus.Running, first.FailureReason);
        await repo.CommitAsync(LoggingApp("v2"), "second version");
        var second = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(second.Status == DeploymentStatus.Running, second.FailureReason);

        var page = await browser.NewOwnerPageAsync(app);
        var dialogs = 0;
        page.Dialog += async (_, dialog) =>
        {
            Interlocked.Increment(ref dialogs);
            await dialog.DismissAsync();
        };
        await page.GotoAsync($"projects/{projectId}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);
        await page.Locator(".mud-tab", new() { HasText = "Runtime logs" }).ClickAsync();
        var log = page.GetByTestId("runtime-log");
        await Assertions.Expect(log).ToContainTextAsync("filler 300", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("log-deployment")).ToHaveValueAsync(second.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A request the app logs shows up live (latency itself is measured in the benchmarks, not asserted here).
        var live = $"/hello-live-{Guid.NewGuid():N}";
        await app.GetAppAsync(subdomain, live);
        await Assertions.Expect(log).ToContainTextAsync($"request {live}", new() { Timeout = 10_000 });

        // Scrolling up pauses follow; new lines are counted on the "jump to latest" button.
        await log.EvaluateAsync("e => { e.scrollTop = 0; e.dispatchEvent(new Event('scroll')); }");
        var jump = page.GetByTestId("log-jump");
        await Assertions.Expect(jump).ToBeVisibleAsync();
        for (var i = 0; i < 3; i++)
        {
            await app.GetAppAsync(subdomain, $"/hello-paused-{i}");
        }

        await Assertions.Expect(jump).ToContainTextAsync("(3 new)", new() { Timeout = 10_000 });
        await jump.ClickAsync();
        await Assertions.Expect(jump).ToHaveCountAsync(0);
        await Assertions.Expect(log).ToContainTextAsync("request /hello-paused-2");

        // Markup and non-colour escape sequences are text; colours are styles; secrets are masked.
        await log.EvaluateAsync("e => { e.scrollTop = 0; }");
        await Assertions.Expect(log).ToContainTextAsync("<img src=x onerror=alert(1)>");
        await Assertions.Expect(log).ToContainTextAsync("<script>alert(2)</script>");
        await Assertions.Expect(log).ToContainTextAsync("\u241b]8;;https://example.com");
        await Assertions.Expect(log.Locator("img")).ToHaveCountAsync(0);
        await Assertions.Expect(log.Locator("script")).ToHaveCountAsync(0);
        await Assertions.Expect(log.Locator("a")).ToHaveCountAsync(0);
        await Assertions.Expect(log.Locator("span[style*='color:#cd3131']")).ToHaveTextAsync("red alert");
        await Assertions.Expect(log).ToContainTextAsync("token is ***");
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);

        // Search covers the stored history of earlier deployments too.
        await page.GetByTestId("log-search").FillAsync("started v1");
        await page.GetByTestId("log-search-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("log-search-summary")).ToContainTextAsync("matches for");
        var match = log.Locator("[data-testid=log-line]", new() { HasText = "started v1" });
        await Assertions.Expect(match).ToHaveCountAsync(1);
        await Assertions.Expect(match.Locator(".minipaas-log-deployment")).ToHaveTextAsync($"#{first.Id}");
        await Assertions.Expect(match.Locator("mark")).ToHaveTextAsync("started v1");

        // Level filter: only error lines and above remain.
        await page.GetByTestId("log-search-clear").ClickAsync();
        await page.GetByTestId("log-level").SelectOptionAsync("error");
        // (The engine interleaves stderr and stdout as they arrive, so the stderr line's place in the list varies; filtered, it is alone.)
        await Assertions.Expect(log.Locator(".minipaas-log-error", new() { HasText = "something went wrong" })).ToHaveCountAsync(1);
        await Assertions.Expect(log).Not.ToContainTextAsync("filler 1");

        await page.ScreenshotAsync(new() { Path = "/tmp/minipaas-runtime-logs.png", FullPage = true });
        Assert.Equal(0, dialogs);
        await page.Context.CloseAsync();
    }

}
