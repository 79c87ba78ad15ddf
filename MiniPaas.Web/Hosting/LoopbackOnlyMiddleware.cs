using System.Net;
using MiniPaas.Web.Health;

namespace MiniPaas.Web.Hosting;

/// <summary>
/// Single-owner stance: while GitHub sign-in is not configured nobody is authenticated, so the dashboard answers
/// only to the machine itself. Requests for apps (<c>&lt;subdomain&gt;.&lt;AppsDomain&gt;</c>) are the public
/// surface, answered by the ingress before this runs; the health endpoints pass untouched, which orchestrators probe from outside loopback, and the
/// token-authenticated API under <c>/api</c>.
/// </summary>
public sealed class LoopbackOnlyMiddleware(RequestDelegate next, IConfiguration configuration)
{
    internal const string Message = "MiniPaas dashboard answers only on loopback until GitHub sign-in is configured (MiniPaas:GitHub:ClientId).";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsAllowed(context))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(Message, context.RequestAborted);
    }

    private bool IsAllowed(HttpContext context)
    {
        if (!string.IsNullOrEmpty(configuration["MiniPaas:GitHub:ClientId"]))
        {
            return true;
        }

        // No remote address means an in-process or unix-socket caller: local by construction.
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || IPAddress.IsLoopback(remote))
        {
            return true;
        }

        var path = context.Request.Path;
        if (path.Equals(HealthEndpoints.LivePath, StringComparison.OrdinalIgnoreCase) || path.Equals(HealthEndpoints.ReadyPath, StringComparison.OrdinalIgnoreCase)
            // Webhooks are authenticated by their HMAC signature, and a tunnel may deliver them from anywhere.
            || path.StartsWithSegments("/webhooks", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // The automation API authenticates every request itself (bearer token, never a cookie), so CI can call it from elsewhere.
        // App hosts never get here (the ingress answered them); a dashboard host under AppsDomain is the dashboard.
        return path.StartsWithSegments(Api.ApiHostingExtensions.Prefix, StringComparison.OrdinalIgnoreCase);
    }
}
