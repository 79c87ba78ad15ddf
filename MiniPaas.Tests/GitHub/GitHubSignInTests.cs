using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.GitHub;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Tests.GitHub;

/// <summary>The OAuth round trip against the fake GitHub over real HTTP: who gets a session, and which tampering is refused.</summary>
public sealed class GitHubSignInTests(GitHubAppFixture app) : IClassFixture<GitHubAppFixture>
{
    [Fact]
    public async Task SignIn_AllowedUser_SessionWithPkceAndEncryptedToken()
    {
        using var client = new SignInClient(app.BaseAddress);
        using var done = await client.SignInAsync(app.GitHub, app.Octocat, "/projects");

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/projects", done.Headers.Location!.OriginalString);
        Assert.True(client.HasSession);
        var authorize = app.GitHub.AuthorizeRequests.Last();
        Assert.Equal("S256", authorize.CodeChallengeMethod);
        Assert.False(string.IsNullOrEmpty(authorize.CodeChallenge));
        Assert.Equal("read:user", authorize.Scope);

        using var me = await client.Client.GetAsync(new Uri("/auth/user", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var json = await me.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("octocat", json.GetProperty("login").GetString());
        Assert.Equal(app.Octocat.Id, json.GetProperty("id").GetInt64());
        Assert.Equal("Mona Octocat", json.GetProperty("name").GetString());

        await using var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(app.DatabaseConnectionString));
        var user = await db.Users.SingleAsync(u => u.GitHubId == app.Octocat.Id);
        Assert.Equal("octocat", user.Login);
        Assert.EndsWith($"/avatars/{app.Octocat.Id}.png", user.AvatarUrl, StringComparison.Ordinal);
        var token = Assert.Single(app.GitHub.IssuedTokens, t => app.Get<GitHubUsers>().GetAccessTokenAsync(user.Id).Result == t);
        Assert.NotNull(user.EncryptedAccessToken);
        Assert.DoesNotContain(token, user.EncryptedAccessToken, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_PrivateReposRequested_AsksForRepoScope()
    {
        using var client = new SignInClient(app.BaseAddress);
        app.GitHub.ApprovingUser = app.Octocat;
        var authorizeUrl = await client.StartAsync("/", privateRepos: true);
        await client.ApproveAsync(authorizeUrl);

        Assert.Equal("read:user repo", app.GitHub.AuthorizeRequests.Last().Scope);
    }

    [Fact]
    public async Task SignIn_UserOutsideAllowedUsers_RefusedWithoutSession()
    {
        using var client = new SignInClient(app.BaseAddress);
        using var done = await client.SignInAsync(app.GitHub, app.Stranger, "/projects");

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.StartsWith("/auth/denied", done.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.False(client.HasSession);
        using var denied = await client.Client.GetAsync(done.Headers.Location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("is not allowed", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var me = await client.Client.GetAsync(new Uri("/auth/user", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);

        await using var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(app.DatabaseConnectionString));
        Assert.False(await db.Users.AnyAsync(u => u.GitHubId == app.Stranger.Id));
    }

    [Fact]
    public async Task Callback_WrongState_Refused()
    {
        using var client = new SignInClient(app.BaseAddress);
        app.GitHub.ApprovingUser = app.Octocat;
        var callback = await client.ApproveAsync(await client.StartAsync());
        var tampered = new Uri(System.Text.RegularExpressions.Regex.Replace(callback.ToString(), "state=[^&]+", "state=forged-state-value"));

        using var response = await client.CallbackAsync(tampered);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(client.HasSession);
    }

    [Fact]
    public async Task Callback_Replayed_Refused()
    {
        using var client = new SignInClient(app.BaseAddress);
        app.GitHub.ApprovingUser = app.Octocat;
        var callback = await client.ApproveAsync(await client.StartAsync());
        using (var first = await client.CallbackAsync(callback))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        // The same state again, from the same browser (its correlation cookie is spent) and from another one (never had it).
        using var again = await client.CallbackAsync(callback);
        using var attacker = new SignInClient(app.BaseAddress);
        using var stolen = await attacker.CallbackAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, stolen.StatusCode);
        Assert.False(attacker.HasSession);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example/path")]
    [InlineData("/\\evil.example")]
    [InlineData("http:/evil.example")]
    public async Task SignIn_ExternalReturnUrl_NotFollowed(string returnUrl)
    {
        using var client = new SignInClient(app.BaseAddress);
        using var done = await client.SignInAsync(app.GitHub, app.Octocat, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/", done.Headers.Location!.OriginalString);
        Assert.True(client.HasSession);
    }

    [Fact]
    public async Task Dashboard_Anonymous_SentToLoginWithConnectButton()
    {
        using var client = new SignInClient(app.BaseAddress);

        using var projects = await client.Client.GetAsync(new Uri("/projects?tab=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, projects.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fprojects%3Ftab%3D1", projects.Headers.Location!.OriginalString);

        using var login = await client.Client.GetAsync(projects.Headers.Location);
        var html = await login.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("Connect with GitHub", html, StringComparison.Ordinal);
        Assert.Contains("/auth/github?returnUrl=%2Fprojects%3Ftab%3D1", html, StringComparison.Ordinal);

        // The Blazor circuit is closed to anonymous callers too.
        using var negotiate = await client.Client.PostAsync(new Uri("/_blazor/negotiate?negotiateVersion=1", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
    }

    [Fact]
    public async Task OpenRoutes_Anonymous_NotGatedByDashboardSignIn()
    {
        using var client = new SignInClient(app.BaseAddress);

        using var live = await client.Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var api = await client.Client.GetAsync(new Uri("/api/projects", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.Redirect, api.StatusCode);
        using var webhook = await client.Client.PostAsync(new Uri("/webhooks/github", UriKind.Relative), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, webhook.StatusCode);
        Assert.Contains("X-Hub-Signature-256", await webhook.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EndsSession()
    {
        using var client = new SignInClient(app.BaseAddress);
        using var done = await client.SignInAsync(app.GitHub, app.Octocat);
        Assert.True(client.HasSession);

        // Sign-out is the dashboard's form: a POST carrying the page's antiforgery token (a GET does nothing).
        using var ignored = await client.Client.GetAsync(new Uri("/auth/signout", UriKind.Relative));
        Assert.Contains(ignored.StatusCode, new[] { HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotFound });
        using var page = await client.Client.GetAsync(new Uri("/projects", UriKind.Relative));
        using var form = new FormUrlEncodedContent(MiniPaas.Tests.Shared.OwnerSignIn.HiddenFields(await page.Content.ReadAsStringAsync()));
        using var signOut = await client.Client.PostAsync(new Uri("/auth/signout", UriKind.Relative), form);

        Assert.Equal("/login", signOut.Headers.Location!.OriginalString);
        using var me = await client.Client.GetAsync(new Uri("/auth/user", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }
}
