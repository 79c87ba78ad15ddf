using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Variables;
using MiniPaas.Tests.Shared;
using MiniPaas.Web.Components.Variables;
using MudBlazor.Services;
using Npgsql;

namespace MiniPaas.Tests.Variables;

/// <summary>The editor against the real store (PostgreSQL, Data Protection) and the real deploy engine.</summary>
[Trait("Needs", "Docker")]
public sealed class VariablesEditorTests(DeployAppFixture app) : IClassFixture<DeployAppFixture>, IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private readonly List<SampleRepo> _repos = [];

    private ProjectVariables Store => app.Get<ProjectVariables>();

    public Task InitializeAsync()
    {
        // Each step writes to and reads from PostgreSQL: on a loaded machine that can take longer than bUnit's 1 s default.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton(Store);
        _ctx.Services.AddSingleton(app.Get<ProjectSuggestions>());
        _ctx.Services.AddSingleton(app.Projects);
        _ctx.Services.AddSingleton(app.Deployments);
        _ctx.Services.AddSingleton(app.Get<MiniPaas.Core.Owner.AuditLog>());
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        _repos.ForEach(r => r.Dispose());
    }

    private async Task<long> ProjectAsync(string prefix)
    {
        var repo = await SampleRepo.CreateAsync(Deploying.DeployEngineTests.BusyboxSite("hi"));
        _repos.Add(repo);
        return await app.CreateProjectAsync(repo, $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)]);
    }

    // A disabled MudButton ignores clicks: wait until the previous action has finished.
    private static void ClickWhenEnabled(IRenderedComponent<VariablesEditor> editor, string selector)
    {
        editor.WaitForAssertion(() => Assert.False(editor.Find(selector).HasAttribute("disabled")));
        // Found and clicked on the renderer's thread: a render in between (the live scan) would retire the handler found.
        editor.InvokeAsync(() => editor.Find(selector).Click()).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Render_Variables_MaskedUntilRevealedAndUndecryptableRowFlagged()
    {
        var projectId = await ProjectAsync("edm");
        await Store.SetManyAsync(projectId, [new("API_TOKEN", "tok-123\nsecond line"), new("BROKEN", "x")], "tests");
        await using (var connection = new NpgsqlConnection(app.DatabaseConnectionString))
        {
            await connection.OpenAsync();
            await using var corrupt = new NpgsqlCommand($"UPDATE env_vars SET encrypted_value = 'garbage' WHERE project_id = {projectId} AND key = 'BROKEN'", connection);
            await corrupt.ExecuteNonQueryAsync();
        }

        var editor = _ctx.Render<VariablesEditor>(p => p.Add(e => e.ProjectId, projectId));

        editor.WaitForAssertion(() => Assert.Equal("••••••••", editor.Find("[data-testid=value-API_TOKEN]").TextContent));
        Assert.DoesNotContain("tok-123", editor.Markup, StringComparison.Ordinal);
        Assert.Contains("cannot decrypt", editor.Find("[data-testid=value-BROKEN]").TextContent, StringComparison.Ordinal);

        editor.Find("[data-testid=reveal-API_TOKEN]").Click();

        editor.WaitForAssertion(() => Assert.Equal("tok-123\nsecond line", editor.Find("[data-testid=value-API_TOKEN]").TextContent));
    }

    [Fact]
    public async Task ToggleSecret_PlainSettingShownSecretMasked_FlagStoredAndShortSecretWarned()
    {
        var projectId = await ProjectAsync("eds");
        await Store.SetManyAsync(projectId, [new("LINES", "20000"), new("API_TOKEN", "tok-abcdef-123"), new("PIN_SECRET", "4711")], "tests");
        var editor = _ctx.Render<VariablesEditor>(p => p.Add(e => e.ProjectId, projectId));

        editor.WaitForAssertion(() => Assert.Equal("20000", editor.Find("[data-testid=value-LINES]").TextContent));
        Assert.Equal("••••••••", editor.Find("[data-testid=value-API_TOKEN]").TextContent);
        Assert.Empty(editor.FindAll("[data-testid=reveal-LINES]"));
        Assert.Contains("cannot be masked", editor.Find("[data-testid=short-secret-PIN_SECRET]").TextContent, StringComparison.Ordinal);
        Assert.Empty(editor.FindAll("[data-testid=short-secret-API_TOKEN]"));
        Assert.Empty(editor.FindAll("[data-testid=short-secret-LINES]"));

        await editor.InvokeAsync(() => editor.Find("[data-testid=secret-LINES] input").Change(true));

        editor.WaitForAssertion(() => Assert.Equal("••••••••", editor.Find("[data-testid=value-LINES]").TextContent));
        Assert.True((await Store.ListAsync(projectId)).Single(v => v.Key == "LINES").IsSecret);
        Assert.DoesNotContain("20000", editor.Find("[data-testid=variables-table]").TextContent, StringComparison.Ordinal);

        await editor.InvokeAsync(() => editor.Find("[data-testid=secret-API_TOKEN] input").Change(false));

        editor.WaitForAssertion(() => Assert.Equal("tok-abcdef-123", editor.Find("[data-testid=value-API_TOKEN]").TextContent));
        Assert.False((await Store.ListAsync(projectId)).Single(v => v.Key == "API_TOKEN").IsSecret);
        Assert.Equal(["secret off", "secret on"], (await Store.ListAuditAsync(projectId)).Take(2).Select(a => a.Action));
    }

    [Fact]
    public async Task Add_SecretFlagFollowsTheRuleWhileTyping_ShortSecretWarnedAndChoiceSaved()
    {
        var projectId = await ProjectAsync("edf");
        var editor = _ctx.Render<VariablesEditor>(p => p.Add(e => e.ProjectId, projectId));
        editor.WaitForAssertion(() => editor.Find("[data-testid=variables-empty]"));
        editor.Find("[data-testid=add-variable]").Click();

        editor.WaitForElement("input[data-testid=variable-key]").Input("DATABASE_URL");
        editor.WaitForElement("textarea[data-testid=variable-value]").Input("postgres://db/app");
        editor.WaitForAssertion(() => Assert.False(editor.Find("[data-testid=variable-secret] input").HasAttribute("checked")));
        editor.Find("textarea[data-testid=variable-value]").Input("postgres://app:pw@db/app");
        editor.WaitForAssertion(() => Assert.True(editor.Find("[data-testid=variable-secret] input").HasAttribute("checked")));
        Assert.Empty(editor.FindAll("[data-testid=variable-short-secret-warning]"));

        editor.Find("input[data-testid=variable-key]").Input("API_TOKEN");
        editor.Find("textarea[data-testid=variable-value]").Input("abc");
        editor.WaitForAssertion(() => Assert.Contains("cannot be masked", editor.Find("[data-testid=variable-short-secret-warning]").TextContent, StringComparison.Ordinal));
        // The user decides: a token kept as a plain setting is saved so, and the warning goes.
        editor.Find("[data-testid=variable-secret] input").Change(false);
        editor.WaitForAssertion(() => Assert.Empty(editor.FindAll("[data-testid=variable-short-secret-warning]")));
        ClickWhenEnabled(editor, "[data-testid=save-variable]");

        editor.WaitForAssertion(() => Assert.Contains("API_TOKEN saved", editor.Find("[data-testid=variables-message]").TextContent, StringComparison.Ordinal));
        Assert.False(Assert.Single(await Store.ListAsync(projectId)).IsSecret);
    }

    [Fact]
    public async Task Add_InvalidThenValidKey_FieldErrorThenSavedWithWarning()
    {
        var projectId = await ProjectAsync("eda");
        var editor = _ctx.Render<VariablesEditor>(p => p.Add(e => e.ProjectId, projectId));
        editor.WaitForAssertion(() => editor.Find("[data-testid=variables-empty]"));

        editor.Find("[data-testid=add-variable]").Click();
        editor.WaitForElement("input[data-testid=variable-key]").Input("PORT");
        editor.WaitForAssertion(() => Assert.Contains("PORT is set by MiniPaas", editor.Find("[data-testid=variable-form]").TextContent, StringComparison.Ordinal));
        editor.Find("[data-testid=save-variable]").Click();
        Assert.Empty(await Store.ListAsync(projectId));

        editor.WaitForElement("input[data-testid=variable-key]").Input("LD_PRELOAD");
        editor.WaitForElement("textarea[data-testid=variable-value]").Input("/lib/x.so");
        editor.WaitForAssertion(() => editor.Find("[data-testid=variable-key-warning]"));
        editor.Find("[data-testid=save-variable]").Click();

        editor.WaitForAssertion(() => Assert.Contains("LD_PRELOAD saved", editor.Find("[data-testid=variables-message]").TextContent, StringComparison.Ordinal));
        Assert.Equal("/lib/x.so", Assert.Single(await Store.ListAsync(projectId)).Value);
        Assert.Equal(("LD_PRELOAD", "created", "owner"), (await Store.ListAuditAsync(projectId)).Select(a => (a.Key, a.Action, a.Actor)).Single());
    }

    [Fact]
    public async Task Paste_EnvBlock_PreviewThenSaved()
    {
        var projectId = await ProjectAsync("edp");
        await Store.SetManyAsync(projectId, [new("SAME", "1"), new("OLD", "before")], "tests");
        var editor = _ctx.Render<VariablesEditor>(p => p.Add(e => e.ProjectId, projectId));
        editor.WaitForAssertion(() => editor.Find("[data-testid=variables-table]"));

        editor.Find("[data-testid=paste-env]").Click();
        editor.WaitForElement("textarea[data-testid=paste-text]").Input("# pasted\nexport SAME=1\nOLD=after\nPEM=\"a\\nb\"\nCMD=$(id)\nPORT=1\n");
        editor.Find("[data-testid=preview-paste]").Click();

        editor.WaitForAssertion(() =>
        {
            Assert.Contains("unchanged", editor.Find("[data-testid=preview-SAME]").TextContent, StringComparison.Ordinal);
            Assert.Contains("change", editor.Find("[data-testid=preview-OLD]").TextContent, StringComparison.Ordinal);
            Assert.Contains("add", editor.Find("[data-testid=preview-PEM]").TextContent, StringComparison.Ordinal);
            Assert.Contains("refused", editor.Find("[data-testid=preview-PORT]").TextContent, StringComparison.Ordinal);
        });
        Assert.Equal(2, (await Store.ListAsync(projectId)).Count);

        editor.Find("[data-testid=apply-paste]").Click();

        editor.WaitForAssertion(() => Assert.Contains("3 variable(s) saved, 1 refused", editor.Find("[data-testid=variables-message]").TextContent, StringComparison.Ordinal));
        var stored = (await Store.ListAsync(projectId)).ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal(new Dictionary<string, string?> { ["CMD"] = "$(id)", ["OLD"] = "after", ["PEM"] = "a\nb", ["SAME"] = "1" }, stored);
    }

    [Fact]
    public async Task ChangeAfterRunningDeployment_BannerThenRedeployAppliesIt()
    {
        var projectId = await ProjectAsync("edr");
        var first = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(first.Status == DeploymentStatus.Running, first.FailureReason);
        var editor = _ctx.Render<VariablesEditor>(p => p.Add(e => e.ProjectId, projectId));
        editor.WaitForAssertion(() => editor.Find("[data-testid=variables-empty]"));
        Assert.Empty(editor.FindAll("[data-testid=redeploy-banner]"));

        editor.Find("[data-testid=add-variable]").Click();
        editor.WaitForElement("input[data-testid=variable-key]").Input("GREETING");
        editor.WaitForElement("textarea[data-testid=variable-value]").Input("hello");
        editor.Find("[data-testid=save-variable]").Click();
        editor.WaitForAssertion(() => editor.Find("[data-testid=redeploy-banner]"));

        editor.WaitForElement("[data-testid=redeploy]").Click();

        editor.WaitForAssertion(() => Assert.Contains("Redeploy queued", editor.Find("[data-testid=variables-message]").TextContent, StringComparison.Ordinal));
        var redeploy = (await app.Projects.ListDeploymentsAsync(projectId)).OrderByDescending(d => d.Id).First();
        Assert.Equal("redeploy", redeploy.Trigger);
        Assert.Equal(DeploymentStatus.Running, (await app.WaitForOutcomeAsync(projectId, redeploy.Id)).Status);
        var reloaded = _ctx.Render<VariablesEditor>(p => p.Add(e => e.ProjectId, projectId));
        reloaded.WaitForAssertion(() => reloaded.Find("[data-testid=variables-table]"));
        Assert.Empty(reloaded.FindAll("[data-testid=redeploy-banner]"));

        // Marking a variable as needed at build time cannot be applied by reusing the image: the banner asks for a rebuild.
        reloaded.Find("[data-testid=buildtime-GREETING] input").Change(true);
        reloaded.WaitForAssertion(() => Assert.Contains("rebuild", reloaded.Find("[data-testid=redeploy-banner]").TextContent, StringComparison.Ordinal));
        Assert.True(Assert.Single(await Store.ListAsync(projectId)).IsBuildTime);
        reloaded.Find("[data-testid=rebuild]").Click();

        reloaded.WaitForAssertion(() => Assert.Contains("Rebuild queued", reloaded.Find("[data-testid=variables-message]").TextContent, StringComparison.Ordinal));
        var rebuild = (await app.Projects.ListDeploymentsAsync(projectId)).OrderByDescending(d => d.Id).First();
        Assert.Equal(("rebuild", first.CommitSha), (rebuild.Trigger, rebuild.CommitSha));
        Assert.Equal(DeploymentStatus.Running, (await app.WaitForOutcomeAsync(projectId, rebuild.Id)).Status);
        var afterRebuild = _ctx.Render<VariablesEditor>(p => p.Add(e => e.ProjectId, projectId));
        afterRebuild.WaitForAssertion(() => afterRebuild.Find("[data-testid=variables-table]"));
        Assert.Empty(afterRebuild.FindAll("[data-testid=redeploy-banner]"));
    }

    [Fact]
    public async Task Add_NeededAtBuildTime_SavedMarked()
    {
        var projectId = await ProjectAsync("edb");
        var editor = _ctx.Render<VariablesEditor>(p => p.Add(e => e.ProjectId, projectId));
        editor.WaitForAssertion(() => editor.Find("[data-testid=variables-empty]"));

        editor.Find("[data-testid=add-variable]").Click();
        editor.WaitForElement("input[data-testid=variable-key]").Input("VITE_API_URL");
        editor.WaitForElement("textarea[data-testid=variable-value]").Input("https://api.example");
        editor.Find("[data-testid=variable-buildtime] input").Change(true);
        editor.Find("[data-testid=save-variable]").Click();

        editor.WaitForAssertion(() => Assert.Contains("VITE_API_URL saved", editor.Find("[data-testid=variables-message]").TextContent, StringComparison.Ordinal));
        var saved = Assert.Single(await Store.ListAsync(projectId));
        Assert.True(saved.IsBuildTime);
        editor.WaitForAssertion(() => Assert.True(editor.Find("[data-testid=buildtime-VITE_API_URL] input").HasAttribute("checked")));
        Assert.Equal(["build-time on", "created"], (await Store.ListAuditAsync(projectId)).Select(a => a.Action));
        editor.WaitForAssertion(() => Assert.Equal(2, editor.FindAll("[data-testid=history-row]").Count));
        Assert.Contains("VITE_API_URL", editor.Find("[data-testid=history-row]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("api.example", editor.Find("[data-testid=variables-history]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suggestions_ShownWithoutAskingAcceptGenerateDismiss_SavedAndStayDismissed()
    {
        var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["package.json"] = "{\n  \"dependencies\": {\n    \"express\": \"4\"\n  }\n}",
            ["server.js"] = "const db = process.env.DATABASE_URL;\nconst x = process.env.ALREADY;\nlisten(process.env.PORT);",
            [".env.example"] = "API_SECRET=\nLOG_LEVEL=info\n",
        });
        _repos.Add(repo);
        var projectId = await app.CreateProjectAsync(repo, $"eds-{Guid.NewGuid():N}"[..13]);
        await Store.SetAsync(projectId, "ALREADY", "1", "tests");
        var editor = _ctx.Render<VariablesEditor>(p => p.Add(e => e.ProjectId, projectId));
        editor.WaitForAssertion(() => editor.Find("[data-testid=variables-table]"));

        // No click: the scan made when the project was created (or, if it is not there yet, the editor's own) is shown.
        editor.WaitForAssertion(() => Assert.Equal(
            ["suggestion-API_SECRET", "suggestion-DATABASE_URL", "suggestion-LOG_LEVEL", "suggestion-NODE_ENV"],
            editor.FindAll("tr[data-testid^=suggestion-]").Select(r => r.GetAttribute("data-testid"))), TimeSpan.FromSeconds(20));
        Assert.Contains("read by process.env (server.js:1)", editor.Find("[data-testid=suggestion-DATABASE_URL]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Express app (package.json)", editor.Find("[data-testid=suggestion-NODE_ENV]").TextContent, StringComparison.Ordinal);
        Assert.Contains("package.json:3", editor.Find("[data-testid=suggestion-NODE_ENV]").TextContent, StringComparison.Ordinal);
        Assert.Contains("DATABASE_URL", editor.Find("[data-testid=missing-variables]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Commit ", editor.Find("[data-testid=scan-info]").TextContent, StringComparison.Ordinal);

        ClickWhenEnabled(editor, "[data-testid=accept-NODE_ENV]");
        editor.WaitForAssertion(() => Assert.Empty(editor.FindAll("[data-testid=suggestion-NODE_ENV]")));
        ClickWhenEnabled(editor, "[data-testid=generate-API_SECRET]");
        editor.WaitForAssertion(() => Assert.Empty(editor.FindAll("[data-testid=suggestion-API_SECRET]")));
        ClickWhenEnabled(editor, "[data-testid=dismiss-LOG_LEVEL]");
        editor.WaitForAssertion(() => Assert.Empty(editor.FindAll("[data-testid=suggestion-LOG_LEVEL]")));
        ClickWhenEnabled(editor, "[data-testid=accept-DATABASE_URL]");
        editor.WaitForAssertion(() => Assert.Equal("DATABASE_URL", editor.Find("input[data-testid=variable-key]").GetAttribute("value")));

        var stored = (await Store.ListAsync(projectId)).ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal("production", stored["NODE_ENV"]);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", stored["API_SECRET"]);
        var rescan = await app.Get<ProjectSuggestions>().ScanAsync(projectId);
        Assert.Equal(["DATABASE_URL"], rescan.Suggestions.Select(s => s.Key));
        Assert.Contains((await Store.ListAuditAsync(projectId)), a => a.Key == "LOG_LEVEL" && a.Action == "dismissed" && a.Actor == "owner");
    }

    [Fact]
    public async Task Suggestions_AcceptAll_SavesProposedAndGeneratedLeavesThoseNeedingAValue()
    {
        var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            [".env.example"] = "SESSION_TOKEN=\nLOG_LEVEL=debug\nUPSTREAM_HOST=\n",
        });
        _repos.Add(repo);
        var projectId = await app.CreateProjectAsync(repo, $"edl-{Guid.NewGuid():N}"[..13]);
        var editor = _ctx.Render<VariablesEditor>(p => p.Add(e => e.ProjectId, projectId));
        editor.WaitForAssertion(() => Assert.Equal(3, editor.FindAll("tr[data-testid^=suggestion-]").Count), TimeSpan.FromSeconds(20));
        Assert.Contains("listed in .env.example (.env.example:3)", editor.Find("[data-testid=suggestion-UPSTREAM_HOST]").TextContent, StringComparison.Ordinal);

        ClickWhenEnabled(editor, "[data-testid=accept-all]");

        editor.WaitForAssertion(() => Assert.Equal(["suggestion-UPSTREAM_HOST"], editor.FindAll("tr[data-testid^=suggestion-]").Select(r => r.GetAttribute("data-testid"))));
        editor.WaitForAssertion(() => Assert.Contains("1 suggestion(s) have no value", editor.Find("[data-testid=suggestions-message]").TextContent, StringComparison.Ordinal));
        editor.WaitForAssertion(() => editor.Find("[data-testid=value-SESSION_TOKEN]"));
        var stored = (await Store.ListAsync(projectId)).ToDictionary(v => v.Key, v => v.Value);
        Assert.Equal("debug", stored["LOG_LEVEL"]);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", stored["SESSION_TOKEN"]);
        Assert.Equal(2, stored.Count);
    }
}
