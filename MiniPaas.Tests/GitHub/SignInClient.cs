using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using MiniPaas.Tests.Shared.FakeGitHub;

namespace MiniPaas.Tests.GitHub;

/// <summary>Walks the OAuth round trip over plain HTTP (no browser), one step at a time so tests can tamper with any of them.</summary>
public sealed class SignInClient : IDisposable
{
    public const string AuthCookie = "minipaas.auth";

    private readonly Uri _app;

    public SignInClient(Uri app)
    {
        _app = app;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseProxy = false }) { BaseAddress = app };
        Client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Client { get; }

    public bool HasSession => Cookies.GetCookies(_app).Any(c => c.Name == AuthCookie);

    /// <summary>GET /auth/github; returns the authorize URL MiniPaas redirected to.</summary>
    public async Task<Uri> StartAsync(string? returnUrl = "/", bool privateRepos = false)
    {
        var query = returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl);
        if (privateRepos)
        {
            query += (query.Length == 0 ? "?" : "&") + "private=true";
        }

        using var response = await Client.GetAsync(new Uri("/auth/github" + query, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Opens the fake authorize page and presses Authorize; returns the callback URL GitHub redirects back to.</summary>
    public async Task<Uri> ApproveAsync(Uri authorizeUrl)
    {
        using (var page = await Client.GetAsync(authorizeUrl))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        var query = QueryHelpers.ParseQuery(authorizeUrl.Query);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["redirect_uri"] = query["redirect_uri"].ToString(),
            ["state"] = query["state"].ToString(),
            ["scope"] = query["scope"].ToString(),
            ["code_challenge"] = query["code_challenge"].ToString(),
        });
        using var approved = await Client.PostAsync(new Uri(authorizeUrl.GetLeftPart(UriPartial.Path)), form);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        return approved.Headers.Location!;
    }

    public Task<HttpResponseMessage> CallbackAsync(Uri callback) => Client.GetAsync(callback);

    /// <summary>The whole round trip as <paramref name="user"/>; returns the final answer of the callback.</summary>
    public async Task<HttpResponseMessage> SignInAsync(FakeGitHubServer gitHub, FakeUser user, string? returnUrl = "/", bool privateRepos = false)
    {
        ArgumentNullException.ThrowIfNull(gitHub);
        gitHub.ApprovingUser = user;
        var callback = await ApproveAsync(await StartAsync(returnUrl, privateRepos));
        return await CallbackAsync(callback);
    }

    public void Dispose() => Client.Dispose();
}
