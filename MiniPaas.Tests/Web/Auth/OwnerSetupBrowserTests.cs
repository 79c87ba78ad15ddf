using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web.Auth;

/// <summary>A first start in the browser: only the set-up page until the printed link sets the password, then sign-in.</summary>
[Trait("Category", "Browser")]
public sealed partial class OwnerSetupBrowserTests(AuthAppFixture app, BrowserFixture browser) : IClassFixture<AuthAppFixture>, IClassFixture<BrowserFixture>
{
    private static readonly LocatorWaitForOptions Attached = new() { State = WaitForSelectorState.Attached };

    [Fact]
    public async Task FreshStart_PrintedLinkSetsPassword_ThenDashboardNeedsSignInAndWrongPasswordsLockOut()
    {
        var visitor = await browser.NewPageAsync(app.BaseAddress);
        foreach (var path in new[] { "", "projects", "settings" })
        {
            await visitor.GotoAsync(path);
            await Assertions.Expect(visitor).ToHaveURLAsync(SetupUrl());
            await Assertions.Expect(visitor.GetByTestId("setup-needed")).ToContainTextAsync("no owner yet");
        }

        // The operator opens the link MiniPaas printed to its log.
        var link = await app.ReadSetupLinkFromLogAsync();
        await visitor.GotoAsync(link.ToString());
        await visitor.GetByTestId("new-password").FillAsync(OwnerSignIn.Password);
        await visitor.GetByTestId("confirm-password").FillAsync(OwnerSignIn.Password);
        await visitor.GetByTestId("set-password").ClickAsync();
        await Assertions.Expect(visitor.GetByTestId("sign-out")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await visitor.Context.CloseAsync();

        // A browser without the cookie gets the sign-in page, and the used link no longer works.
        var stranger = await browser.NewPageAsync(app.BaseAddress);
        await stranger.GotoAsync("");
        await Assertions.Expect(stranger).ToHaveURLAsync(LoginUrl());
        await Assertions.Expect(stranger.GetByTestId("sign-in-form")).ToBeVisibleAsync();
        await stranger.GotoAsync(link.ToString());
        await Assertions.Expect(stranger).ToHaveURLAsync(LoginUrl());

        for (var i = 1; i <= 5; i++)
        {
            await stranger.GetByTestId("password").FillAsync("guess number " + i);
            await stranger.GetByTestId("sign-in").ClickAsync();
            await Assertions.Expect(stranger.GetByTestId("sign-in-error")).ToContainTextAsync(i < 5 ? "Wrong password." : "locked until");
        }

        await stranger.GetByTestId("password").FillAsync(OwnerSignIn.Password);
        await stranger.GetByTestId("sign-in").ClickAsync();
        await Assertions.Expect(stranger.GetByTestId("sign-in-error")).ToContainTextAsync("locked until");
        await stranger.GotoAsync("projects");
        await Assertions.Expect(stranger).ToHaveURLAsync(LoginUrl());
        await stranger.Context.CloseAsync();
    }

    [GeneratedRegex("/setup$")]
    private static partial Regex SetupUrl();

    [GeneratedRegex("/login(\\?returnUrl=.*)?$")]
    private static partial Regex LoginUrl();
}
