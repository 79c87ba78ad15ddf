using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Api;

/// <summary>
/// The Settings page in real Chromium: a token is created and shown once, then works against the API until revoked; the
/// list shows each token's scope, expiry and last use.
/// </summary>
[Trait("Category", "Browser")]
[Trait("Needs", "Docker")]
public sealed class ApiTokensBrowserTests(ApiAppFixture app, BrowserFixture browser) : IClassFixture<ApiAppFixture>, IClassFixture<BrowserFixture>
{
    private static readonly LocatorWaitForOptions Attached = new() { State = WaitForSelectorState.Attached };

    [Fact]
    public async Task CreateToken_ShownOnce_WorksForTheApi_ThenRevoked()
    {
        var name = "ci " + Guid.NewGuid().ToString("N")[..6];
        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync("settings");
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);

        // An empty name is refused at the field.
        await page.GetByTestId("create-token").ClickAsync();
        await Assertions.Expect(page.GetByText("Enter a name for the token")).ToBeVisibleAsync();

        await page.GetByTestId("token-name").FillAsync(name);
        await page.GetByTestId("create-token").ClickAsync();
        var shown = page.GetByTestId("new-token");
        await Assertions.Expect(shown).ToBeVisibleAsync();
        var token = (await shown.InnerTextAsync()).Trim();
        Assert.StartsWith(ApiTokenService.TokenPrefix, token, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTestId("tokens-table")).ToContainTextAsync(name);
        await Assertions.Expect(page.GetByTestId("tokens-table")).ToContainTextAsync("never");
        // Least privilege by default: a new token reads only, and expires (in 90 days) unless the owner chooses otherwise.
        var createdRow = page.GetByTestId("tokens-table").Locator("tr", new() { HasText = name });
        await Assertions.Expect(createdRow.GetByTestId("token-scope")).ToHaveTextAsync("read");
        await Assertions.Expect(createdRow.GetByTestId("token-expires")).ToContainTextAsync(
            DateTimeOffset.UtcNow.AddDays(90).ToLocalTime().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)[..7]);

        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var response = await client.GetAsync(new Uri("/api/projects", UriKind.Relative)))
        {
            Assert.Equal(200, (int)response.StatusCode);
        }

        // Shown once: a fresh visit lists the token by name and prefix, never the secret, and now with its last use.
        await page.ReloadAsync();
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);
        var row = page.GetByTestId("tokens-table").Locator("tr", new() { HasText = name });
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("new-token")).ToHaveCountAsync(0);
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(row.GetByTestId("token-last-used")).Not.ToHaveTextAsync("never");

        await row.GetByTestId("revoke-token").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("tokens-table").Locator("tr", new() { HasText = name })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();

        using var refused = await client.GetAsync(new Uri("/api/projects", UriKind.Relative));
        await refused.AssertProblemAsync(401);
    }

    [Fact]
    public async Task TokensTable_ShowsScopeExpiryAndLastUse()
    {
        var tokens = app.Get<ApiTokenService>();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var expiresAt = DateTimeOffset.UtcNow.AddDays(30);
        var deployer = await tokens.CreateAsync("deployer " + suffix, ApiScope.Deploy, expiresAt);
        var expired = await tokens.CreateAsync("expired " + suffix, ApiScope.Admin, DateTimeOffset.UtcNow.AddDays(1));
        await using (var db = await app.Get<IDbContextFactory<MiniPaasDbContext>>().CreateDbContextAsync())
        {
            var past = DateTimeOffset.UtcNow.AddDays(-2);
            await db.ApiTokens.Where(t => t.Id == expired.View.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpiresAt, past));
        }

        using (var client = app.CreateApiClient(deployer.Token))
        using (var used = await client.GetAsync(new Uri("/api/system", UriKind.Relative)))
        {
            Assert.Equal(200, (int)used.StatusCode);
        }

        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync("settings");
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);

        var deployerRow = page.GetByTestId($"token-{deployer.View.Id}");
        await Assertions.Expect(deployerRow.GetByTestId("token-scope")).ToHaveTextAsync("deploy");
        await Assertions.Expect(deployerRow.GetByTestId("token-expires")).ToHaveTextAsync(Local(expiresAt));
        await Assertions.Expect(deployerRow.GetByTestId("token-last-used")).Not.ToHaveTextAsync("never");
        var expiredRow = page.GetByTestId($"token-{expired.View.Id}");
        await Assertions.Expect(expiredRow.GetByTestId("token-scope")).ToHaveTextAsync("admin");
        await Assertions.Expect(expiredRow.GetByTestId("token-expired")).ToContainTextAsync("expired");
        await Assertions.Expect(expiredRow.GetByTestId("token-last-used")).ToHaveTextAsync("never");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task CreateToken_ChoosingDeployScopeAndNoExpiry_TokenHasThem()
    {
        var name = "deployer " + Guid.NewGuid().ToString("N")[..6];
        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync("settings");
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);

        await page.GetByTestId("token-name").FillAsync(name);
        await ChooseAsync(page, "token-scope-select", "deploy");
        await ChooseAsync(page, "token-expiry-select", "never");
        await page.GetByTestId("create-token").ClickAsync();
        var token = (await page.GetByTestId("new-token").InnerTextAsync()).Trim();
        var row = page.GetByTestId("tokens-table").Locator("tr", new() { HasText = name });
        await Assertions.Expect(row.GetByTestId("token-scope")).ToHaveTextAsync("deploy");
        await Assertions.Expect(row.GetByTestId("token-expires")).ToHaveTextAsync("never");
        await page.Context.CloseAsync();

        var stored = (await app.Get<ApiTokenService>().ListAsync()).Single(t => t.Name == name);
        Assert.Equal(ApiScope.Deploy, stored.Scope);
        Assert.Null(stored.ExpiresAt);
        using var client = app.CreateApiClient(token);
        using var deploy = await client.PostAsync(new Uri("/api/projects/987654321/deploy", UriKind.Relative), null);
        await deploy.AssertProblemAsync(404);
        using var delete = await client.DeleteAsync(new Uri("/api/projects/987654321", UriKind.Relative));
        await delete.AssertProblemAsync(403);
    }

    private static async Task ChooseAsync(IPage page, string selectTestId, string option)
    {
        await page.GetByTestId(selectTestId).Locator(".mud-input-control").ClickAsync();
        await page.Locator(".mud-popover-open").GetByText(option, new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
    }

    private static string Local(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
