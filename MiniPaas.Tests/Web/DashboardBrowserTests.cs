using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web;

/// <summary>The whole app on loopback with its real services: real PostgreSQL (a fresh database) and the real Docker engine.</summary>
public sealed class DashboardAppFixture : AppFixture
{
    private string? _connectionString;

    protected override string? ConnectionString => _connectionString;

    public override async Task InitializeAsync()
    {
        _connectionString = await (await PostgresFixture.GetAsync()).CreateDatabaseAsync("dashboard_" + Guid.NewGuid().ToString("N")[..8]);
        await base.InitializeAsync();
    }
}

[Trait("Category", "Browser")]
public sealed class DashboardBrowserTests(DashboardAppFixture app, BrowserFixture browser)
    : IClassFixture<DashboardAppFixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SystemPage_InRealChromium_ReportsEngineAndDatabase()
    {
        var page = await browser.NewOwnerPageAsync(app);
        var engine = app.Services.GetRequiredService<IEngineStatus>().Current;
        var database = app.Services.GetRequiredService<IDatabaseInfo>().Current;
        Assert.NotNull(database);

        await page.GotoAsync("system");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        // The engine runs on this machine (CI starts it): the page must say so, live.
        await Assertions.Expect(page.GetByTestId("docker-status")).ToHaveTextAsync("Connected", new() { Timeout = 15_000 });
        engine = app.Services.GetRequiredService<IEngineStatus>().Current;
        Assert.True(engine.IsConnected, engine.Error);
        await Assertions.Expect(page.GetByTestId("database-source")).ToContainTextAsync("Configured");
        await Assertions.Expect(page.GetByTestId("docker-version")).ToHaveTextAsync(engine.Version ?? "—");
        await Assertions.Expect(page.GetByTestId("database-address")).ToHaveTextAsync($"{database.Host}:{database.Port}/{database.Database}");
        await Assertions.Expect(page.GetByTestId("database-source")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.GetByTestId("data-directory")).ToHaveTextAsync(app.DataDirectory);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ThemeToggle_Click_SwitchesDarkModeAndRemembersIt()
    {
        var page = await browser.NewOwnerPageAsync(app, ColorScheme.Light);
        await page.GotoAsync("system");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var theme = page.GetByTestId("theme");
        await Assertions.Expect(theme).ToHaveAttributeAsync("data-theme", "light");
        var lightBackground = await BodyBackgroundAsync(page);

        await page.GetByTestId("theme-toggle").ClickAsync();

        await Assertions.Expect(theme).ToHaveAttributeAsync("data-theme", "dark");
        await Assertions.Expect(page.Locator("body")).Not.ToHaveCSSAsync("background-color", lightBackground);

        // The choice survives a reload (stored in the browser), even though the system prefers light.
        await page.ReloadAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.GetByTestId("theme")).ToHaveAttributeAsync("data-theme", "dark");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Theme_NoStoredChoice_FollowsSystemDarkPreference()
    {
        var page = await browser.NewOwnerPageAsync(app, ColorScheme.Dark);
        await page.GotoAsync("system");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await Assertions.Expect(page.GetByTestId("theme")).ToHaveAttributeAsync("data-theme", "dark");

        // The operating system switches to light while the page is open: the dashboard follows.
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await Assertions.Expect(page.GetByTestId("theme")).ToHaveAttributeAsync("data-theme", "light");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ProjectsPage_NoProjects_ShowsEmptyStateLinkingToNewProject()
    {
        var projects = await app.Services.GetRequiredService<IProjectDirectory>().ListAsync();
        Assert.Empty(projects);
        var page = await browser.NewOwnerPageAsync(app);

        await page.GotoAsync("");

        await Assertions.Expect(page.GetByTestId("projects-empty")).ToContainTextAsync("No projects yet — create one from a git repository URL or a local folder");
        await Assertions.Expect(page.GetByTestId("empty-new-project")).ToHaveAttributeAsync("href", "/projects/new");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Healthz_OverRealSocket_Returns200()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<string> BodyBackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
}
