namespace MiniPaas.Web.Auth;

/// <summary>
/// The dashboard (pages and the Blazor circuit) needs a signed-in user — the owner (password) or an allowed GitHub user:
/// page loads go to <c>/login</c>, everything else gets 401. Not gated: the sign-in and set-up routes, webhooks, the API
/// (own tokens), health probes and static files (app hosts never reach it: the ingress answers them first). The endpoints' fallback authorization policy enforces the same
/// a second time, so a route missing from this list is still closed.
/// </summary>
public sealed class DashboardSignInGate(RequestDelegate next)
{
    private static readonly string[] OpenPrefixes =
        ["/login", "/setup", "/auth/", "/webhooks/", "/api/", "/healthz", "/readyz", "/_framework/", "/_content/", "/not-found", "/Error"];

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User.Identity?.IsAuthenticated == true || IsOpen(context))
        {
            return next(context);
        }

        if (IsPageLoad(context.Request))
        {
            context.Response.Redirect(LoginUrlFor(context.Request));
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Sign in first (/login).", context.RequestAborted);
    }

    internal static bool IsPageLoad(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    internal static string LoginUrlFor(HttpRequest request) =>
        "/login?returnUrl=" + Uri.EscapeDataString(request.PathBase + request.Path + request.QueryString);

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
