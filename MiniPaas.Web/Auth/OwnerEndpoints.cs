using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Owner;
using MiniPaas.Web.GitHub;

namespace MiniPaas.Web.Auth;

/// <summary>
/// <c>/login</c> (GitHub button and/or owner password), <c>/setup</c> (the one-time link sets the password) and
/// <c>POST /auth/signout</c>. Form posts check antiforgery themselves and are rate-limited by <see cref="SignInRateLimit"/>.
/// </summary>
public static partial class OwnerEndpoints
{
    public const string LoginPath = "/login";
    public const string SetupPath = "/setup";
    public const string SignOutPath = "/auth/signout";

    public static IEndpointRouteBuilder MapOwnerAuthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPath, LoginPageAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapPost(LoginPath, SignInAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(SignInRateLimit.Policy);
        endpoints.MapGet(SetupPath, SetupPageAsync).AllowAnonymous().DisableAntiforgery();
        endpoints.MapPost(SetupPath, SetUpAsync).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(SignInRateLimit.Policy);
        endpoints.MapPost(SignOutPath, SignOutAsync).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }

    private static async Task LoginPageAsync(HttpContext http, PasswordSignInMode mode, OwnerAccounts owner, string? returnUrl)
    {
        var target = LocalReturnUrl.Sanitize(returnUrl);
        if (http.User.Identity?.IsAuthenticated == true)
        {
            http.Response.Redirect(target);
            return;
        }

        var hasPassword = mode.IsEnabled && (await owner.GetStateAsync(http.RequestAborted)).HasPassword;
        if (mode.IsEnabled && !hasPassword && !mode.IsGitHubConfigured)
        {
            http.Response.Redirect(SetupPath);
            return;
        }

        await OwnerPages.WriteLoginAsync(http, target, mode.IsGitHubConfigured, hasPassword, error: null);
    }

    private static async Task SignInAsync(HttpContext http, PasswordSignInMode mode, OwnerAccounts owner, AuditLog audit, ILoggerFactory loggers)
    {
        if (!mode.IsEnabled)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (await ReadValidFormAsync(http) is not { } form)
        {
            return;
        }

        var target = LocalReturnUrl.Sanitize(form["returnUrl"]);
        var remote = http.Connection.RemoteIpAddress?.ToString();
        var logger = loggers.CreateLogger(typeof(OwnerEndpoints));
        var result = await owner.SignInAsync(form["password"], http.RequestAborted);
        switch (result.Status)
        {
            case OwnerSignInStatus.Succeeded:
                await SignInCookieAsync(http, result.SessionVersion);
                await audit.RecordAsync(AuditActions.SignIn, CurrentUser.LocalOwner, remoteAddress: remote, ct: http.RequestAborted);
                LogSignedIn(logger, remote);
                http.Response.Redirect(target);
                return;
            case OwnerSignInStatus.NotSetUp:
                http.Response.Redirect(SetupPath);
                return;
            case OwnerSignInStatus.LockedOut:
                await audit.RecordAsync(AuditActions.SignInLocked, CurrentUser.LocalOwner, remoteAddress: remote, ct: http.RequestAborted);
                LogLockedOut(logger, remote);
                http.Response.StatusCode = StatusCodes.Status423Locked;
                var until = result.LockedUntil!.Value.ToUniversalTime().ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture);
                await OwnerPages.WriteLoginAsync(http, target, mode.IsGitHubConfigured, showPassword: true, $"Too many wrong passwords: sign-in is locked until {until}.");
                return;
            default:
                await audit.RecordAsync(AuditActions.SignInFailed, CurrentUser.LocalOwner, remoteAddress: remote, ct: http.RequestAborted);
                LogWrongPassword(logger, remote);
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await OwnerPages.WriteLoginAsync(http, target, mode.IsGitHubConfigured, showPassword: true, "Wrong password.");
                return;
        }
    }

    private static async Task SetupPageAsync(HttpContext http, PasswordSignInMode mode, OwnerAccounts owner, IOptions<OwnerOptions> options, string? token)
    {
        if (!mode.IsEnabled)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if ((await owner.GetStateAsync(http.RequestAborted)).HasPassword)
        {
            http.Response.Redirect(LoginPath);
            return;
        }

        if (!await owner.IsSetupTokenValidAsync(token, http.RequestAborted))
        {
            http.Response.StatusCode = token is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
            await OwnerPages.WriteSetupNeededAsync(http, tokenGiven: token is not null);
            return;
        }

        await OwnerPages.WriteSetupFormAsync(http, token!, options.Value.MinPasswordLength, error: null);
    }

    private static async Task SetUpAsync(HttpContext http, PasswordSignInMode mode, OwnerAccounts owner, AuditLog audit, IOptions<OwnerOptions> options)
    {
        if (!mode.IsEnabled)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (await ReadValidFormAsync(http) is not { } form)
        {
            return;
        }

        string token = form["token"].ToString();
        string password = form["password"].ToString();
        if (!string.Equals(password, form["confirm"].ToString(), StringComparison.Ordinal))
        {
            await RefuseSetupAsync(http, owner, token, options.Value.MinPasswordLength, "The two passwords differ.");
            return;
        }

        var result = await owner.CompleteSetupAsync(token, password, http.RequestAborted);
        if (!result.Succeeded)
        {
            await RefuseSetupAsync(http, owner, token, options.Value.MinPasswordLength, result.Error!);
            return;
        }

        await SignInCookieAsync(http, result.SessionVersion);
        await audit.RecordAsync(AuditActions.OwnerSetUp, CurrentUser.LocalOwner, remoteAddress: http.Connection.RemoteIpAddress?.ToString(), ct: http.RequestAborted);
        http.Response.Redirect("/");
    }

    private static async Task SignOutAsync(HttpContext http, DashboardSessions sessions, AuditLog audit)
    {
        if (await ReadValidFormAsync(http) is null)
        {
            return;
        }

        var user = http.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            await http.SignOutAsync(GitHubSignIn.CookieScheme);
            if (OwnerClaims.SessionOf(user) is { } session)
            {
                sessions.SignOut(session);
            }

            var actor = SignInClaims.From(user)?.Login ?? CurrentUser.LocalOwner;
            await audit.RecordAsync(AuditActions.SignOut, actor, remoteAddress: http.Connection.RemoteIpAddress?.ToString(), ct: http.RequestAborted);
        }

        http.Response.Redirect(LoginPath);
    }

    private static async Task RefuseSetupAsync(HttpContext http, OwnerAccounts owner, string token, int minLength, string error)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (await owner.IsSetupTokenValidAsync(token, http.RequestAborted))
        {
            await OwnerPages.WriteSetupFormAsync(http, token, minLength, error);
        }
        else
        {
            await OwnerPages.WriteSetupNeededAsync(http, tokenGiven: true);
        }
    }

    /// <summary>The posted form when its antiforgery token is valid; otherwise answers 400 and returns null.</summary>
    private static async Task<IFormCollection?> ReadValidFormAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("The form expired or did not come from this MiniPaas; reload the page and try again.", http.RequestAborted);
            return null;
        }

        return await http.Request.ReadFormAsync(http.RequestAborted);
    }

    private static Task SignInCookieAsync(HttpContext http, int sessionVersion) =>
        http.SignInAsync(GitHubSignIn.CookieScheme, OwnerClaims.CreateOwner(sessionVersion));

    [LoggerMessage(Level = LogLevel.Information, Message = "Owner signed in from {RemoteAddress}")]
    private static partial void LogSignedIn(ILogger logger, string? remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wrong owner password from {RemoteAddress}")]
    private static partial void LogWrongPassword(ILogger logger, string? remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Owner sign-in locked after repeated wrong passwords (last from {RemoteAddress})")]
    private static partial void LogLockedOut(ILogger logger, string? remoteAddress);
}
