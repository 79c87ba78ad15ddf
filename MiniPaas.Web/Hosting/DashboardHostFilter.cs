using MiniPaas.Web.Health;

namespace MiniPaas.Web.Hosting;

/// <summary>
/// The guard against DNS rebinding: a request reaching the dashboard (app hosts were answered by the ingress before) whose
/// <c>Host</c> is not one of <see cref="DashboardHosts"/> gets 421 Misdirected Request and a short text, before any
/// authentication, page or static file. A rebinding page can point its own name at 127.0.0.1, but it cannot make the
/// browser send one of the dashboard's names.
/// </summary>
/// <remarks>
/// Not filtered, because they carry no ambient authority a rebinding page could borrow: the health probes (orchestrators
/// probe by address), the API (a bearer token on every request, never the cookie) and webhooks (an HMAC signature).
/// </remarks>
public sealed partial class DashboardHostFilter(RequestDelegate next, DashboardHosts hosts, ILogger<DashboardHostFilter> logger)
{
    internal const string Message =
        "MiniPaas does not answer this host name on its dashboard port. If this is how you reach the dashboard, add the name to MiniPaas:Dashboard:Hosts.";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (hosts.Contains(context.Request.Host) || IsHostIndependent(context.Request.Path))
        {
            return next(context);
        }

        // Debug only: anyone can send any Host, and a log line per refused request would let them fill the disk.
        LogRefused(logger, context.Request.Host.Host);
        return WriteRefusalAsync(context, StatusCodes.Status421MisdirectedRequest, Message);
    }

    /// <summary>Endpoints that authenticate every request by themselves, or tell nothing, so any Host may reach them.</summary>
    internal static bool IsHostIndependent(PathString path) =>
        path.Equals(HealthEndpoints.LivePath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(HealthEndpoints.ReadyPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(Api.ApiHostingExtensions.Prefix, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/webhooks", StringComparison.OrdinalIgnoreCase);

    /// <summary>A plain-text refusal that no status-code page replaces and no browser sniffs into HTML.</summary>
    internal static Task WriteRefusalAsync(HttpContext context, int statusCode, string message)
    {
        context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>()?.Enabled = false;
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        return response.WriteAsync(message, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a dashboard request for host {Host}")]
    private static partial void LogRefused(ILogger logger, string host);
}
