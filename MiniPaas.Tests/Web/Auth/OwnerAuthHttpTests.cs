using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Owner;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web.Auth;

/// <summary>The dashboard over its real socket from loopback: nothing without the owner's cookie, sign-out only as an antiforgery POST.</summary>
public sealed class OwnerAuthHttpTests(AuthAppFixture app) : IClassFixture<AuthAppFixture>
{
    private HttpClient Anonymous()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        return client;
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/projects")]
    [InlineData("/settings")]
    [InlineData("/system")]
    [InlineData("/projects/1/variables")]
    public async Task Get_LoopbackWithoutCookie_RedirectedToSignInWithoutDashboardHtml(string path)
    {
        await app.SignInOwnerAsync();
        using var client = Anonymous();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?returnUrl=" + Uri.EscapeDataString(path), response.Headers.Location!.OriginalString);
        Assert.DoesNotContain("blazor.web.js", body, StringComparison.Ordinal);
        Assert.DoesNotContain("MudBlazor", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negotiate_WithoutCookie_RefusedWithOwnerCookieAccepted()
    {
        using var anonymous = Anonymous();
        using var refused = await anonymous.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        var refusedBody = await refused.Content.ReadAsStringAsync();

        using var owner = await app.CreateOwnerClientAsync();
        using var accepted = await owner.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("connectionToken", refusedBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("connectionToken", await accepted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_WithOwnerCookie_ServesPage()
    {
        using var owner = await app.CreateOwnerClientAsync();

        using var response = await owner.GetAsync(new Uri("/projects", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"sign-out\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_OwnerCookieWithoutToken_Unauthorized()
    {
        using var owner = await app.CreateOwnerClientAsync();

        using var response = await owner.GetAsync(new Uri("/api/projects", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/_framework/blazor.web.js")]
    [InlineData("/login")]
    public async Task OpenRoutes_Anonymous_Served(string path)
    {
        await app.SignInOwnerAsync();
        using var client = Anonymous();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SignOut_Get_DoesNothing()
    {
        await app.SignInOwnerAsync();
        var session = await OwnerSignIn.SignInAsync(app.BaseAddress);
        using var client = OwnerSignIn.CreateClient(app.BaseAddress, session);

        using var signOut = await client.GetAsync(new Uri("/auth/signout", UriKind.Relative));
        using var after = await client.GetAsync(new Uri("/projects", UriKind.Relative));

        // No GET route exists (the status page turns the 405 into the dashboard's not-found page); the session is untouched.
        Assert.Contains(signOut.StatusCode, new[] { HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotFound });
        Assert.DoesNotContain("minipaas.auth=;", string.Join(";", signOut.Headers.TryGetValues("Set-Cookie", out var set) ? set : []), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task SignOut_PostWithoutAntiforgery_RefusedSessionKept()
    {
        await app.SignInOwnerAsync();
        var session = await OwnerSignIn.SignInAsync(app.BaseAddress);
        using var client = OwnerSignIn.CreateClient(app.BaseAddress, session);

        using var form = new FormUrlEncodedContent([]);
        using var signOut = await client.PostAsync(new Uri("/auth/signout", UriKind.Relative), form);
        using var after = await client.GetAsync(new Uri("/projects", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task SignOut_PostFromDashboardForm_EndsSessionEvenForCopiedCookie()
    {
        await app.SignInOwnerAsync();
        var session = await OwnerSignIn.SignInAsync(app.BaseAddress);
        using var client = OwnerSignIn.CreateClient(app.BaseAddress, session);
        using var page = await client.GetAsync(new Uri("/projects", UriKind.Relative));
        var fields = OwnerSignIn.HiddenFields(await page.Content.ReadAsStringAsync());
        Assert.Contains("__RequestVerificationToken", fields.Keys);

        using var form = new FormUrlEncodedContent(fields);
        using var signOut = await client.PostAsync(new Uri("/auth/signout", UriKind.Relative), form);
        // Someone who copied the cookie before sign-out replays it.
        using var replay = OwnerSignIn.CreateClient(app.BaseAddress, session);
        using var after = await replay.GetAsync(new Uri("/projects", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", signOut.Headers.Location!.OriginalString);
        Assert.NotEqual(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Setup_AfterPasswordSet_GoesToSignInAndOldLinkIsDead()
    {
        await app.SignInOwnerAsync();
        var link = await app.ReadSetupLinkFromLogAsync();
        using var client = Anonymous();

        using var setup = await client.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);
        Assert.Equal("/login", setup.Headers.Location!.OriginalString);
        Assert.False(await app.Services.GetRequiredService<OwnerAccounts>().IsSetupTokenValidAsync(link.Query.Split('=')[1]));
    }

    [Fact]
    public async Task SignIn_WrongThenRight_AuditedWithoutSecretsAndShownOnSettings()
    {
        await app.SignInOwnerAsync();
        using (var wrong = await OwnerForms.PostSignInAsync(app.BaseAddress, "wrong-password-123456"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("Wrong password.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var session = await OwnerSignIn.SignInAsync(app.BaseAddress);

        var entries = await app.Services.GetRequiredService<AuditLog>().ListAsync();
        using var client = OwnerSignIn.CreateClient(app.BaseAddress, session);
        using var settings = await client.GetAsync(new Uri("/settings", UriKind.Relative));
        var html = await settings.Content.ReadAsStringAsync();

        Assert.Contains(entries, e => e is { Action: AuditActions.OwnerSetUp, Actor: "owner" });
        Assert.Contains(entries, e => e is { Action: AuditActions.SignInFailed, RemoteAddress: "127.0.0.1" });
        Assert.Equal(AuditActions.SignIn, entries[0].Action);
        Assert.DoesNotContain(entries, e => $"{e.Actor} {e.Target} {e.RemoteAddress}".Contains("password", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("data-action=\"sign-in-failed\"", html, StringComparison.Ordinal);
        Assert.Contains("data-action=\"owner-set-up\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-123456", html, StringComparison.Ordinal);
    }
}

/// <summary>Posts the real sign-in form (antiforgery included) and returns the raw answer, for tests of refusals.</summary>
internal static class OwnerForms
{
    public static async Task<HttpResponseMessage> PostSignInAsync(Uri baseAddress, string password)
    {
        using var session = new OwnerSignIn.FormSession(baseAddress);
        var fields = await session.GetFormAsync("/login", CancellationToken.None);
        fields["password"] = password;
        return await session.PostAsync("/login", fields, CancellationToken.None);
    }
}
