using Microsoft.Playwright;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Variables;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Variables;

/// <summary>The variables page in real Chromium against the whole app (real PostgreSQL, real engine).</summary>
[Trait("Category", "Browser")]
[Trait("Needs", "Docker")]
public sealed class VariablesBrowserTests(DeployAppFixture app, BrowserFixture browser)
    : IClassFixture<DeployAppFixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task PasteEnv_PreviewSaveRevealThenRedeploy_ContainerGetsTheValues()
    {
        using var repo = await SampleRepo.CreateAsync(VariablesDeployTests.EnvironmentDumpSite());
        var subdomain = $"vbr-{Guid.NewGuid():N}"[..13];
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var first = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(first.Status == DeploymentStatus.Running, first.FailureReason);

        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync($"projects/{projectId}/variables");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.GetByTestId("variables-empty")).ToBeVisibleAsync();

        await page.GetByTestId("paste-env").ClickAsync();
        await page.GetByTestId("paste-text").FillAsync("# from the browser\nexport GREETING=hello\nPEM=\"line one\\nline two\"\nPORT=1\n");
        await page.GetByTestId("preview-paste").ClickAsync();
        await Assertions.Expect(page.GetByTestId("preview-GREETING")).ToContainTextAsync("add");
        await Assertions.Expect(page.GetByTestId("preview-PORT")).ToContainTextAsync("refused");
        await page.GetByTestId("apply-paste").ClickAsync();

        await Assertions.Expect(page.GetByTestId("variables-message")).ToContainTextAsync("2 variable(s) saved, 1 refused");
        // Plain settings by the secret rule are shown as they are; one marked secret is masked until revealed.
        await Assertions.Expect(page.GetByTestId("value-GREETING")).ToHaveTextAsync("hello");
        await page.GetByTestId("secret-PEM").Locator("input").CheckAsync();
        await Assertions.Expect(page.GetByTestId("value-PEM")).ToHaveTextAsync("••••••••");
        Assert.DoesNotContain("line one", await page.GetByTestId("variables-table").InnerTextAsync(), StringComparison.Ordinal);
        await page.GetByTestId("reveal-PEM").ClickAsync();
        await Assertions.Expect(page.GetByTestId("value-PEM")).ToHaveTextAsync("line one\nline two");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-env").ClickAsync());
        var path = Path.Combine(app.DataDirectory, "downloaded.env");
        await download.SaveAsAsync(path);
        Assert.Equal($"{subdomain}.env", download.SuggestedFilename);
        Assert.Equal("GREETING=hello\nPEM=\"line one\\nline two\"\n", await File.ReadAllTextAsync(path));

        await Assertions.Expect(page.GetByTestId("redeploy-banner")).ToContainTextAsync("Variables changed since the running deployment");
        await page.GetByTestId("redeploy").ClickAsync();
        await Assertions.Expect(page.GetByTestId("variables-message")).ToContainTextAsync("Redeploy queued");
        await Assertions.Expect(page.GetByTestId("redeploy-banner")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();

        var redeploy = (await app.Projects.ListDeploymentsAsync(projectId)).OrderByDescending(d => d.Id).First();
        Assert.Equal("redeploy", redeploy.Trigger);
        var outcome = await app.WaitForOutcomeAsync(projectId, redeploy.Id);
        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        var environment = await WaitForServedEnvironmentAsync(subdomain, "GREETING=hello");
        Assert.Contains("\0PEM=line one\nline two\0", "\0" + environment, StringComparison.Ordinal);
        Assert.Equal(
            [("GREETING", "created"), ("PEM", "created"), ("PEM", "secret on")],
            (await app.Get<ProjectVariables>().ListAuditAsync(projectId)).Select(a => (a.Key, a.Action))
                .OrderBy(a => a.Key, StringComparer.Ordinal).ThenBy(a => a.Action, StringComparer.Ordinal));
    }

    [Fact]
    public async Task AddNeededAtBuildTime_RebuildBannerThenRebuild_BuildSawTheValue()
    {
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["Dockerfile"] = $$"""
                FROM {{DockerEngineFixture.BusyboxImage}}
                ARG PUBLIC_URL
                ARG RUNTIME_ONLY
                RUN ["sh", "-c", "mkdir -p /www && printf 'B=%s|R=%s' \"$PUBLIC_URL\" \"$RUNTIME_ONLY\" > /www/index.html"]
                CMD ["sh", "-c", "exec httpd -f -p $PORT -h /www"]
                """,
        });
        var subdomain = $"vbb-{Guid.NewGuid():N}"[..13];
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        await app.Get<ProjectVariables>().SetAsync(projectId, "RUNTIME_ONLY", "not for the build", "tests");
        var first = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(first.Status == DeploymentStatus.Running, first.FailureReason);
        Assert.Equal((200, "B=|R="), await app.GetAppAsync(subdomain));

        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync($"projects/{projectId}/variables");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByTestId("add-variable").ClickAsync();
        await page.GetByTestId("variable-key").FillAsync("PUBLIC_URL");
        await page.GetByTestId("variable-value").FillAsync("https://example.test/$(id)");
        await page.GetByTestId("variable-buildtime").Locator("input").CheckAsync();
        await page.GetByTestId("save-variable").ClickAsync();

        await Assertions.Expect(page.GetByTestId("variables-message")).ToContainTextAsync("PUBLIC_URL saved", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("buildtime-PUBLIC_URL").Locator("input")).ToBeCheckedAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("buildtime-RUNTIME_ONLY").Locator("input")).Not.ToBeCheckedAsync();
        await Assertions.Expect(page.GetByTestId("redeploy-banner")).ToContainTextAsync("rebuild", new() { Timeout = 30_000 });
        await page.GetByTestId("rebuild").ClickAsync();
        await Assertions.Expect(page.GetByTestId("variables-message")).ToContainTextAsync("Rebuild queued", new() { Timeout = 30_000 });
        await page.Context.CloseAsync();

        var rebuild = (await app.Projects.ListDeploymentsAsync(projectId)).OrderByDescending(d => d.Id).First();
        Assert.Equal(("rebuild", first.CommitSha), (rebuild.Trigger, rebuild.CommitSha));
        var outcome = await app.WaitForOutcomeAsync(projectId, rebuild.Id);
        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        await WaitForServedAsync(subdomain, "/", "B=https://example.test/$(id)|R=");
    }

    private async Task WaitForServedAsync(string subdomain, string path, string expected)
    {
        var body = "";
        for (var attempt = 0; attempt < 50 && body != expected; attempt++)
        {
            (_, body) = await app.GetAppAsync(subdomain, path);
            await Task.Delay(body == expected ? 0 : 200);
        }

        Assert.Equal(expected, body);
    }

    // The route switches to the new container once it is healthy; the old one may still answer for a moment.
    private async Task<string> WaitForServedEnvironmentAsync(string subdomain, string expected)
    {
        var body = "";
        for (var attempt = 0; attempt < 50; attempt++)
        {
            (_, body) = await app.GetAppAsync(subdomain, "/environ");
            if (body.Split('\0').Contains(expected))
            {
                return body;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"The app never served {expected}; last: {body.Replace('\0', ' ')}");
        return body;
    }
}
