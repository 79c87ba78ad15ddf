using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.Extensions.Options;
using MiniPaas.Core.GitHub;

namespace MiniPaas.Web.GitHub;

/// <summary>
/// Sign-in with GitHub through ASP.NET Core's OAuth handler (PKCE on, endpoints from <see cref="GitHubOptions"/>), and the
/// dashboard cookie. The access token never enters the cookie: it is stored encrypted by <see cref="GitHubUsers"/>.
/// </summary>
public static partial class GitHubSignIn
{
    public const string Scheme = "GitHub";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CallbackPath = "/auth/github/callback";

    /// <summary>Placeholders keep the handler valid while sign-in is off; <c>/auth/github</c> refuses to start a flow then.</summary>
    private const string Unconfigured = "unconfigured";

    public static void AddGitHubSignIn(this IServiceCollection services)
    {
        services.AddAuthentication(options => options.DefaultScheme = CookieScheme)
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "minipaas.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/login";
                options.AccessDeniedPath = "/auth/denied";
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = ValidatePrincipalAsync;
            })
            .AddOAuth(Scheme, options =>
            {
                options.CallbackPath = CallbackPath;
                options.SignInScheme = CookieScheme;
                options.UsePkce = true;
                options.SaveTokens = false;
                options.Scope.Clear();
                options.Scope.Add("read:user");
                // Lax + same-as-request: the correlation cookie must survive GitHub's top-level redirect back, also on plain http (local set-ups).
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Events.OnCreatingTicket = CreatingTicketAsync;
                options.Events.OnRemoteFailure = RemoteFailureAsync;
            });
        services.AddOptions<OAuthOptions>(Scheme).Configure<IOptions<GitHubOptions>>((options, gitHub) =>
        {
            var settings = gitHub.Value;
            options.ClientId = settings.IsSignInConfigured ? settings.ClientId! : Unconfigured;
            options.ClientSecret = string.IsNullOrWhiteSpace(settings.ClientSecret) ? Unconfigured : settings.ClientSecret;
            options.AuthorizationEndpoint = settings.AuthorizationEndpoint;
            options.TokenEndpoint = settings.TokenEndpoint;
            options.UserInformationEndpoint = settings.UserInformationEndpoint;
        });
    }

    private static async Task CreatingTicketAsync(OAuthCreatingTicketContext context)
    {
        var ct = context.HttpContext.RequestAborted;
        var token = context.AccessToken ?? throw new AuthenticationFailureException("GitHub returned no access token.");
        using var request = new HttpRequestMessage(HttpMethod.Get, context.Options.UserInformationEndpoint);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("MiniPaas", "1.0"));
        using var response = await context.Backchannel.SendAsync(request, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new AuthenticationFailureException($"GitHub did not return the user ({(int)response.StatusCode}).");
        }

        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
        var root = document.RootElement;
        var identity = new GitHubIdentity(
            root.GetProperty("id").GetInt64(),
            root.GetProperty("login").GetString() ?? throw new AuthenticationFailureException("GitHub returned a user without a login."),
            root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
            root.TryGetProperty("avatar_url", out var avatar) && avatar.ValueKind == JsonValueKind.String ? avatar.GetString() : null);

        var services = context.HttpContext.RequestServices;
        var policy = services.GetRequiredService<GitHubAccessPolicy>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GitHubSignIn));
        if (!await policy.IsAllowedAsync(identity.GitHubId, identity.Login, token, ct).ConfigureAwait(false))
        {
            LogRefused(logger, identity.Login, identity.GitHubId);
            throw new SignInRefusedException(identity.Login);
        }

        var userId = await services.GetRequiredService<GitHubUsers>().RecordSignInAsync(identity, token, ct).ConfigureAwait(false);
        var claims = context.Identity ?? throw new InvalidOperationException("The OAuth handler created no identity.");
        claims.AddClaim(new Claim(SignInClaims.UserId, userId.ToString(CultureInfo.InvariantCulture)));
        claims.AddClaim(new Claim(SignInClaims.GitHubId, identity.GitHubId.ToString(CultureInfo.InvariantCulture)));
        claims.AddClaim(new Claim(SignInClaims.Login, identity.Login));
        if (identity.Name is { Length: > 0 })
        {
            claims.AddClaim(new Claim(SignInClaims.Name, identity.Name));
        }

        if (identity.AvatarUrl is { Length: > 0 })
        {
            claims.AddClaim(new Claim(SignInClaims.AvatarUrl, identity.AvatarUrl));
        }

        LogSignedIn(logger, identity.Login, identity.GitHubId);
    }

    private static async Task RemoteFailureAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        if (context.Failure is SignInRefusedException refused)
        {
            response.Redirect("/auth/denied?login=" + Uri.EscapeDataString(refused.Login));
            return;
        }

        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GitHubSignIn));
        // The reason comes from the handler (state invalid, correlation failed, token refused); it holds no secret.
        LogFailed(logger, context.Failure?.Message ?? "unknown");
        response.StatusCode = StatusCodes.Status400BadRequest;
        await SignInPages.WriteAsync(
            response,
            "Sign-in failed",
            "<p>The sign-in could not be completed: the link was invalid, expired or already used.</p><p><a href=\"/login\">Try again</a></p>",
            context.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Each request re-checks the allow lists, so a user removed from them loses the dashboard at once.</summary>
    private static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        if (SignInClaims.From(context.Principal) is not { } user)
        {
            context.RejectPrincipal();
            return;
        }

        var services = context.HttpContext.RequestServices;
        var policy = services.GetRequiredService<GitHubAccessPolicy>();
        if (policy.IsListedUser(user.GitHubId, user.Login))
        {
            return;
        }

        var token = await services.GetRequiredService<GitHubUsers>().GetAccessTokenAsync(user.UserId, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (!await IsAllowedOrKeepAsync(policy, user, token, context.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme).ConfigureAwait(false);
        }
    }

    internal static async Task<bool> IsAllowedOrKeepAsync(GitHubAccessPolicy policy, SignedInUser user, string? token, CancellationToken ct)
    {
        try
        {
            return await policy.IsAllowedAsync(user.GitHubId, user.Login, token, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Octokit.ApiException or HttpRequestException)
        {
            // GitHub unreachable or refusing the org lookup for a moment: keep the session; a refused token fails again next time.
            return ex is Octokit.AuthorizationException ? false : true;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub user {Login} ({GitHubId}) signed in")]
    private static partial void LogSignedIn(ILogger logger, string login, long gitHubId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub user {Login} ({GitHubId}) is not allowed; no session created")]
    private static partial void LogRefused(ILogger logger, string login, long gitHubId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub sign-in failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}

/// <summary>The small HTML pages outside Blazor: login, not allowed, sign-in failed.</summary>
internal static class SignInPages
{
    public static Task WriteAsync(HttpResponse response, string title, string bodyHtml, CancellationToken ct)
    {
        response.ContentType = "text/html; charset=utf-8";
        var encodedTitle = HtmlEncoder.Default.Encode(title);
        return response.WriteAsync(
            $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{encodedTitle}} · MiniPaas</title>
            <style>
              body { font-family: system-ui, sans-serif; background: #f5f5f5; display: grid; place-items: center; min-height: 100vh; margin: 0; }
              main { background: #fff; padding: 2.5rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); max-width: 28rem; text-align: center; }
              a.button { display: inline-block; background: #24292f; color: #fff; padding: .75rem 1.5rem; border-radius: 6px; text-decoration: none; font-weight: 600; }
              a.secondary { display: block; margin-top: 1rem; color: #555; font-size: .9rem; }
            </style></head>
            <body><main><h1>{{encodedTitle}}</h1>{{bodyHtml}}</main></body></html>
            """,
            ct);
    }
}
