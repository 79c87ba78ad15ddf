using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.GitHub;

/// <summary>Sign-in and the repository picker in real Chromium against the fake GitHub.</summary>
[Trait("Category", "Browser")]
public sealed partial class GitHubBrowserTests(GitHubAppFixture app, BrowserFixture browser)
    : IClassFixture<GitHubAppFixture>, IClassFixture<BrowserFixture>
{
    private static readonly LocatorWaitForOptions Attached = new() { State = WaitForSelectorState.Attached };

    /// <summary>Dashboard → login page → Connect with GitHub → fake authorize page → back on <paramref name="path"/>, signed in.</summary>
    private async Task<IPage> SignInAsync(string path)
    {
        app.GitHub.ApprovingUser = app.Octocat;
        var page = await browser.NewPageAsync(app.BaseAddress);
        await page.GotoAsync(path.TrimStart('/'));
        await Assertions.Expect(page).ToHaveURLAsync(LoginUrl(), new() { Timeout = 15_000 });
        await page.GetByText("Connect with GitHub", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Authorize MiniPaas" })).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Authorize" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(app.BaseAddress.ToString().TrimEnd('/') + path) + "$"), new() { Timeout = 15_000 });
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);
        return page;
    }

    [GeneratedRegex(@"/login\?returnUrl=")]
    private static partial Regex LoginUrl();

    [Fact]
    public async Task SignIn_RoundTrip_EndsOnDashboardWithLoginShown()
    {
        var page = await SignInAsync("/projects");

        await Assertions.Expect(page.GetByTestId("signed-in-login")).ToHaveTextAsync("@octocat");
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Mona Octocat");
        await Assertions.Expect(page.Locator("[data-testid=user-menu] img")).ToHaveAttributeAsync("src", new Regex($"/avatars/{app.Octocat.Id}.png$"));

        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login$"), new() { Timeout = 15_000 });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SignIn_UserNotAllowed_SeesNotAllowedPage()
    {
        app.GitHub.ApprovingUser = app.Stranger;
        var page = await browser.NewPageAsync(app.BaseAddress);
        await page.GotoAsync("projects");
        await page.GetByText("Connect with GitHub", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Authorize" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("not-allowed")).ToContainTextAsync("stranger", new() { Timeout = 15_000 });
        await page.GotoAsync("projects");
        await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RepoPicker_ReposOverTwoPages_CreatesProjectFromOne()
    {
        // A real repository (a static site) among listing-only ones, with more than one page of results.
        using var source = await SampleRepo.CreateAsync(new Dictionary<string, string> { ["index.html"] = "<h1>picked</h1>" });
        var real = await app.GitHub.AddRepoAsync("octocat", "picked-site", source.Path, isPrivate: true);
        app.GitHub.AddListingOnlyRepo("octocat", "alpha");
        app.GitHub.AddListingOnlyRepo("octocat", "beta");
        app.GitHub.AddListingOnlyRepo("octo-org", "gamma");
        app.GitHub.AddListingOnlyRepo("someone", "hidden-from-octocat", isPrivate: true);
        app.GitHub.MaxPageSize = 3;
        var page = await SignInAsync("/projects/new");

        await Assertions.Expect(page.GetByTestId("repo-count")).ToHaveTextAsync(new Regex(@"^\d+ repositories$"), new() { Timeout = 20_000 });
        var listed = int.Parse((await page.GetByTestId("repo-count").TextContentAsync())!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(listed > 3, $"only {listed} repositories listed: the second page was not read");
        Assert.Contains(app.GitHub.RequestLog, r => r.StartsWith("GET /api/v3/user/repos", StringComparison.Ordinal) && r.Contains("page=2", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("repo-octo-org/gamma")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("repo-someone/hidden-from-octocat")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("repo-private-octocat/picked-site")).ToBeVisibleAsync();

        await page.Locator("#repo-search").FillAsync("picked");
        await Assertions.Expect(page.GetByTestId("repo-octocat/alpha")).ToHaveCountAsync(0);
        await page.GetByTestId("repo-octocat/picked-site").ClickAsync();
        await Assertions.Expect(page.GetByTestId("use-repo")).ToBeEnabledAsync(new() { Timeout = 15_000 });
        await page.GetByTestId("use-repo").ClickAsync();

        await Assertions.Expect(page.GetByTestId("detected-stack")).ToContainTextAsync("Detected stack: static", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#project-name")).ToHaveValueAsync("picked-site");
        await Assertions.Expect(page.Locator("#project-subdomain")).ToHaveValueAsync("picked-site");
        await Assertions.Expect(page.Locator("#project-source")).ToHaveValueAsync(app.GitHub.CloneUrl(real));
        await Assertions.Expect(page.Locator("#project-branch")).ToHaveValueAsync("main");
        await page.GetByTestId("create-button").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/projects/\d+$"), new() { Timeout = 15_000 });

        await using var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(app.DatabaseConnectionString));
        var project = await db.Projects.SingleAsync(p => p.Name == "picked-site");
        var owner = await db.Users.SingleAsync(u => u.GitHubId == app.Octocat.Id);
        Assert.Equal(app.GitHub.CloneUrl(real), project.SourceUrl);
        Assert.Equal(owner.Id, project.OwnerId);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task RepoPicker_RateLimited_ShowsMessage()
    {
        var page = await SignInAsync("/projects/new");
        app.GitHub.IsRateLimited = true;
        try
        {
            await page.GetByTestId("repo-reload").ClickAsync();
            await Assertions.Expect(page.GetByTestId("repo-picker-error")).ToContainTextAsync("rate limit", new() { Timeout = 15_000 });
        }
        finally
        {
            app.GitHub.IsRateLimited = false;
        }

        await page.Context.CloseAsync();
    }
}
