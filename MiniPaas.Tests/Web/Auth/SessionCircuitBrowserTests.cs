using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniPaas.Core.Owner;
using MiniPaas.Tests.Shared;
using MiniPaas.Web.Auth;

namespace MiniPaas.Tests.Web.Auth;

/// <summary>Open dashboard circuits end when their session does: sign-out in another tab.</summary>
[Trait("Category", "Browser")]
public sealed partial class SessionCircuitBrowserTests(AuthAppFixture app, BrowserFixture browser) : IClassFixture<AuthAppFixture>, IClassFixture<BrowserFixture>
{
    private static readonly LocatorWaitForOptions Attached = new() { State = WaitForSelectorState.Attached };

    private DashboardSessions Sessions => app.Services.GetRequiredService<DashboardSessions>();

    [Fact]
    public async Task SignOut_InOneTab_OtherTabsCircuitClosedAndSentToSignIn()
    {
        await app.SignInOwnerAsync();
        var session = await OwnerSignIn.SignInAsync(app.BaseAddress);
        var first = await browser.NewPageAsync(app.BaseAddress, session);
        var second = await first.Context.NewPageAsync();
        await first.GotoAsync("projects");
        await second.GotoAsync("settings");
        await first.Locator("[data-testid=interactive]").WaitForAsync(Attached);
        await second.Locator("[data-testid=interactive]").WaitForAsync(Attached);
        await WaitForAsync(() => Sessions.OpenCircuitCount == 2, () => $"open circuits: {Sessions.OpenCircuitCount}, expected 2");

        await first.GetByTestId("sign-out").ClickAsync();

        await Assertions.Expect(first).ToHaveURLAsync(LoginUrl());
        await Assertions.Expect(second).ToHaveURLAsync(LoginUrl(), new() { Timeout = 30_000 });
        await WaitForAsync(() => Sessions.OpenCircuitCount == 0, () => $"open circuits: {Sessions.OpenCircuitCount}, expected 0");
        await first.Context.CloseAsync();
    }

    internal static async Task WaitForAsync(Func<bool> condition, Func<string> describe)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition() && !cts.IsCancellationRequested)
        {
            await Task.Delay(100, CancellationToken.None);
        }

        Assert.True(condition(), describe());
    }

    [GeneratedRegex("/login(\\?returnUrl=.*)?$")]
    private static partial Regex LoginUrl();

}

/// <summary>A reset of the owner (what <c>reset-owner</c> writes) ends open circuits at their next re-check.</summary>
[Trait("Category", "Browser")]
public sealed partial class OwnerResetCircuitBrowserTests(AuthAppFixture app, BrowserFixture browser) : IClassFixture<AuthAppFixture>, IClassFixture<BrowserFixture>
{
    private static readonly LocatorWaitForOptions Attached = new() { State = WaitForSelectorState.Attached };

    private DashboardSessions Sessions => app.Services.GetRequiredService<DashboardSessions>();

    [Fact]
    public async Task ResetOwner_WhilePageOpen_CircuitClosedAndSetupServed()
    {
        var page = await browser.NewOwnerPageAsync(app);
        await page.GotoAsync("system");
        await page.Locator("[data-testid=interactive]").WaitForAsync(Attached);
        await SessionCircuitBrowserTests.WaitForAsync(() => Sessions.OpenCircuitCount == 1, () => $"open circuits: {Sessions.OpenCircuitCount}, expected 1");

        // What reset-owner writes into the database (its own test runs the command as a separate process).
        await app.Services.GetRequiredService<OwnerAccounts>().IssueSetupTokenAsync(clearPassword: true);

        await Assertions.Expect(page).ToHaveURLAsync(SetupUrl(), new() { Timeout = 30_000 });
        await SessionCircuitBrowserTests.WaitForAsync(() => Sessions.OpenCircuitCount == 0, () => $"open circuits: {Sessions.OpenCircuitCount}, expected 0");
        await page.Context.CloseAsync();
    }

    [GeneratedRegex("/setup$")]
    private static partial Regex SetupUrl();
}
