using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Cookie = System.Net.Cookie;

namespace MiniPaas.Tests.Shared;

/// <summary>
/// How a test gets a signed-in dashboard: through the real set-up and sign-in forms (antiforgery included), never a
/// back door. The result is the session cookie, which <see cref="CreateClient"/> and <see cref="AddToAsync"/> hand to an
/// <see cref="HttpClient"/> or a Playwright context. In-process apps: <see cref="AppFixture.SignInOwnerAsync"/>,
/// <see cref="AppFixture.CreateOwnerClientAsync"/> and <see cref="BrowserFixture.NewOwnerPageAsync"/> wrap this.
/// </summary>
public static partial class OwnerSignIn
{
    /// <summary>The owner password the helpers set (long enough for the default minimum).</summary>
    public const string Password = "owner-password-for-tests";

    public const string CookieName = "minipaas.auth";

    /// <summary>Opens the printed set-up link, submits the form with <paramref name="password"/>, returns the session cookie.</summary>
    public static async Task<Cookie> SetUpAsync(Uri setupLink, string password = Password, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(setupLink);
        var baseAddress = new Uri(setupLink.GetLeftPart(UriPartial.Authority) + "/");
        using var session = new FormSession(baseAddress);
        var fields = await session.GetFormAsync(setupLink.PathAndQuery, ct);
        fields["password"] = password;
        fields["confirm"] = password;
        using var response = await session.PostAsync("/setup", fields, ct);
        return session.SessionCookie(response);
    }

    /// <summary>Signs in through <c>/login</c> with the owner password; returns the session cookie.</summary>
    public static async Task<Cookie> SignInAsync(Uri baseAddress, string password = Password, CancellationToken ct = default)
    {
        using var session = new FormSession(baseAddress);
        var fields = await session.GetFormAsync("/login", ct);
        fields["password"] = password;
        using var response = await session.PostAsync("/login", fields, ct);
        return session.SessionCookie(response);
    }

    /// <summary>A client of <paramref name="baseAddress"/> carrying the session (redirects not followed, so tests see them).</summary>
    public static HttpClient CreateClient(Uri baseAddress, Cookie session)
    {
        var cookies = new CookieContainer();
        cookies.Add(baseAddress, new Cookie(session.Name, session.Value));
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = baseAddress };
    }

    /// <summary>Puts the session into a browser context, so its pages open the dashboard signed in.</summary>
    public static Task AddToAsync(IBrowserContext context, Uri baseAddress, Cookie session)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = session.Name, Value = session.Value, Url = baseAddress.ToString() }]);
    }

    /// <summary>The hidden inputs of the page's form (antiforgery token, set-up token, return URL), HTML-decoded.</summary>
    public static Dictionary<string, string> HiddenFields(string html)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in HiddenInput().Matches(html))
        {
            fields[WebUtility.HtmlDecode(match.Groups["name"].Value)] = WebUtility.HtmlDecode(match.Groups["value"].Value);
        }

        return fields;
    }

    /// <summary>The set-up link as MiniPaas prints it to its console and log.</summary>
    [GeneratedRegex(@"http://\S+/setup\?token=[A-Za-z0-9_\-]+")]
    public static partial Regex SetupLinkPattern();

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]*)" value="(?<value>[^"]*)"\s*/?>""")]
    private static partial Regex HiddenInput();

    /// <summary>One browser-like visitor: cookies kept between the form page and its post.</summary>
    internal sealed class FormSession : IDisposable
    {
        private readonly Uri _baseAddress;

        public FormSession(Uri baseAddress)
        {
            _baseAddress = baseAddress;
            Client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = baseAddress };
            Client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        }

        public CookieContainer Cookies { get; } = new();

        public HttpClient Client { get; }

        public async Task<Dictionary<string, string>> GetFormAsync(string pathAndQuery, CancellationToken ct)
        {
            using var page = await Client.GetAsync(new Uri(pathAndQuery, UriKind.Relative), ct);
            var html = await page.Content.ReadAsStringAsync(ct);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {pathAndQuery} answered {(int)page.StatusCode}: {html}");
            return HiddenFields(html);
        }

        public async Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields, CancellationToken ct)
        {
            using var form = new FormUrlEncodedContent(fields);
            return await Client.PostAsync(new Uri(path, UriKind.Relative), form, ct);
        }

        public Cookie SessionCookie(HttpResponseMessage response)
        {
            var cookie = Cookies.GetCookies(_baseAddress).FirstOrDefault(c => c.Name == CookieName);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && cookie is not null, $"the form answered {(int)response.StatusCode} without a session");
            return cookie!;
        }

        public void Dispose() => Client.Dispose();
    }
}
