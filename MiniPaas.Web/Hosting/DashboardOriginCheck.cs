namespace MiniPaas.Web.Hosting;

/// <summary>
/// Refuses with 403 a browser request from another origin that could change something: a WebSocket upgrade (the Blazor
/// circuit at <c>/_blazor</c>) or a request with a method other than GET, HEAD, OPTIONS or TRACE (form posts, the hub's
/// negotiate POST), whose <c>Origin</c> is not the dashboard itself. Runs after <see cref="DashboardHostFilter"/>, so the
/// request's own <c>Host</c> is already one of the dashboard's.
/// </summary>
/// <remarks>
/// A request without <c>Origin</c> passes: browsers always send it on WebSocket handshakes and on cross-origin POSTs, so
/// its absence means a non-browser client (curl, a script, an app container), which could write any <c>Origin</c> it
/// likes anyway and has no browser cookie to borrow; such callers must authenticate like anyone else. <c>Origin: null</c>
/// (sandboxed frames, <c>file:</c> pages) is refused. The API and webhooks are not checked: no cookie authorizes them.
/// </remarks>
public sealed partial class DashboardOriginCheck(RequestDelegate next, DashboardHosts hosts, ILogger<DashboardOriginCheck> logger)
{
    internal const string Message = "Cross-origin request refused: MiniPaas's dashboard accepts this only from its own pages.";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!CanChangeState(request) || IsTokenAuthenticated(request.Path))
        {
            return next(context);
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsSameOrigin(origin, request, hosts.PublicUrl))
        {
            return next(context);
        }

        LogRefused(logger, request.Method, request.Path.Value ?? "/");
        return DashboardHostFilter.WriteRefusalAsync(context, StatusCodes.Status403Forbidden, Message);
    }

    private static bool CanChangeState(HttpRequest request) =>
        request.Headers.Upgrade.Count > 0
        || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));

    private static bool IsTokenAuthenticated(PathString path) =>
        path.StartsWithSegments(Api.ApiHostingExtensions.Prefix, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/webhooks", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether <paramref name="origin"/> is the page the request was made to: same host, and the same port when the
    /// <c>Host</c> names one (without one — a TLS proxy in front — the origin must use its scheme's default port), or the
    /// configured public URL's origin.
    /// </summary>
    internal static bool IsSameOrigin(string origin, HttpRequest request, Uri? publicUrl)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0)
        {
            return false;
        }

        if (publicUrl is not null && string.Equals(uri.Scheme, publicUrl.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host, publicUrl.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == publicUrl.Port)
        {
            return true;
        }

        var host = request.Host;
        if (!string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return host.Port is { } port ? uri.Port == port : uri.IsDefaultPort;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a cross-origin {Method} {Path}")]
    private static partial void LogRefused(ILogger logger, string method, string path);
}

/// <summary>Adds the dashboard's Host and Origin guards to the pipeline.</summary>
public static class DashboardGuardExtensions
{
    /// <summary>
    /// <see cref="DashboardHostFilter"/> then <see cref="DashboardOriginCheck"/>. Call right after <c>UseMiniPaasIngress</c>
    /// (which has answered app hosts and the ingress port), before anything of the dashboard: exception pages, authentication,
    /// static files, endpoints.
    /// </summary>
    public static IApplicationBuilder UseDashboardGuards(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<DashboardHostFilter>().UseMiddleware<DashboardOriginCheck>();
    }
}
