using System.Net.Http.Headers;
using Microsoft.Playwright;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Api;

/// <summary>The Settings page in real Chromium: a token is created and shown once, then works against the API until revoked.</summary>
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
}
