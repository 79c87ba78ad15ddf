using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using MiniPaas.Core.GitHub;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Shared.FakeGitHub;

namespace MiniPaas.Tests.GitHub;

/// <summary>The allow lists: organisation membership asked from GitHub, and a user removed while signed in.</summary>
public sealed class GitHubAccessPolicyTests : IAsyncLifetime
{
    private FakeGitHubServer _gitHub = null!;

    public async Task InitializeAsync() => _gitHub = await FakeGitHubServer.StartAsync();

    public async Task DisposeAsync() => await _gitHub.DisposeAsync();

    private GitHubAccessPolicy Policy(string? users, string? orgs)
    {
        var options = new GitHubOptions { AllowedUsers = users, AllowedOrgs = orgs, ApiBaseUrl = _gitHub.ApiBaseUrl };
        var monitor = new FixedOptionsMonitor(options);
        return new GitHubAccessPolicy(monitor, new GitHubApiClientFactory(monitor), TimeProvider.System);
    }

    [Fact]
    public async Task IsAllowedAsync_ByLoginOrId_WithoutAskingGitHub()
    {
        var user = _gitHub.AddUser("Alice");

        Assert.True(await Policy("alice", null).IsAllowedAsync(user.Id, user.Login, accessToken: null));
        Assert.True(await Policy(user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), null).IsAllowedAsync(user.Id, user.Login, null));
        Assert.False(await Policy("bob", null).IsAllowedAsync(user.Id, user.Login, null));
    }

    [Fact]
    public async Task IsAllowedAsync_MemberOfAllowedOrg_AllowedThroughApi()
    {
        var member = _gitHub.AddUser("member", null, "acme");
        var outsider = _gitHub.AddUser("outsider", null, "other-org");
        var policy = Policy("nobody", "ACME");

        Assert.True(await policy.IsAllowedAsync(member.Id, member.Login, _gitHub.IssueToken(member)));
        Assert.False(await policy.IsAllowedAsync(outsider.Id, outsider.Login, _gitHub.IssueToken(outsider)));
        Assert.Contains(_gitHub.RequestLog, r => r.StartsWith("GET /api/v3/user/orgs", StringComparison.Ordinal));
    }

    private sealed class FixedOptionsMonitor(GitHubOptions value) : IOptionsMonitor<GitHubOptions>
    {
        public GitHubOptions CurrentValue => value;

        public GitHubOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<GitHubOptions, string?> listener) => null;
    }
}

/// <summary>Removing a signed-in user from <c>AllowedUsers</c> ends their open dashboard and their next request.</summary>
[Trait("Category", "Browser")]
public sealed class GitHubRevalidationTests(RevalidatingGitHubAppFixture app, BrowserFixture browser)
    : IClassFixture<RevalidatingGitHubAppFixture>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task RemovedFromAllowedUsers_OpenDashboardSignedOut()
    {
        app.GitHub.ApprovingUser = app.Octocat;
        var page = await browser.NewPageAsync(app.BaseAddress);
        await page.GotoAsync("projects");
        await page.GetByText("Connect with GitHub", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Authorize" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-login")).ToHaveTextAsync("@octocat", new() { Timeout = 15_000 });
        // The circuit must be up first: it is the open dashboard whose revalidation is under test (a prerendered page whose
        // circuit connects after the removal is refused at the connection instead).
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });

        app.ChangeSetting("MiniPaas:GitHub:AllowedUsers", "someone-else");
        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 30_000 });
            var me = await page.APIRequest.GetAsync("/auth/user");
            Assert.Equal((int)HttpStatusCode.Unauthorized, me.Status);
        }
        finally
        {
            app.ChangeSetting("MiniPaas:GitHub:AllowedUsers", "octocat");
        }

        await page.Context.CloseAsync();
    }
}
