using Microsoft.Extensions.Options;
using MiniPaas.Core.GitHub;

namespace MiniPaas.Web.GitHub;

/// <summary>
/// With GitHub sign-in configured, the dashboard (pages and the Blazor circuit) needs a signed-in user: page loads go to
/// <c>/login</c>, everything else gets 401. Not gated: the sign-in routes themselves, webhooks, the API (own tokens),
/// health probes and static files (app hosts never reach it: the ingress answers them first). Without sign-in this does nothing (the loopback guard applies instead).
/// </summary>
public sealed class DashboardSignInGate(RequestDelegate next, IOptionsMonitor<GitHubOptions> gitHub)
{
    private static readonly string[] OpenPrefixes = ["/login", "/auth/", "/webhooks/", "/api/", "/healthz", "/readyz", "/_framework/", "/_content/", "/not-found", "/Error"];

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!gitHub.CurrentValue.IsSignInConfigured || context.User.Identity?.IsAuthenticated == true || IsOpen(context))
        {
            return next(context);
        }

        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true))
        {
            context.Response.Redirect("/login?returnUrl=" + Uri.EscapeDataString(request.PathBase + request.Path + request.QueryString));
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Sign in with GitHub first (/login).", context.RequestAborted);
    }

    private static bool IsOpen(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (OpenPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        // Static assets (app.css, js/theme.js, favicon.png...) carry no data; dashboard routes have no file extension.
        // App hosts never get here (the ingress answered them), so a dashboard host under AppsDomain is gated like any other.
        return Path.HasExtension(path);
    }
}
