using System.Globalization;
using MiniPaas.Core.Ingress;
using MiniPaas.Web.Hosting;

namespace MiniPaas.Web.Ingress;

/// <summary>
/// The ingress port serves apps only. The host branch before it has answered every app host; whatever else arrives on the
/// ingress port gets the ingress's own 404 page — never the dashboard, its static files or <c>/_blazor</c>. For one of the
/// dashboard's hosts the page links the dashboard's own port (or public URL) rather than redirecting: nothing on this port
/// answers with anything but an app or the ingress's pages.
/// </summary>
public sealed class IngressPortGuard(RequestDelegate next, IngressListenPlan plan, DashboardHosts dashboardHosts, IngressEndpoint endpoint)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Connection.LocalPort != plan.Ingress.Port)
        {
            return next(context);
        }

        var request = context.Request;
        return IngressPages.WriteNoAppAsync(context, endpoint.AppsDomain, dashboardHosts.Contains(request.Host) ? DashboardAddress(request) : null);
    }

    // The name the visitor used, on the dashboard's port; the public URL when that is the name (a proxy in front owns the port).
    private Uri DashboardAddress(HttpRequest request)
    {
        if (dashboardHosts.PublicUrl is { } publicUrl && string.Equals(publicUrl.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase))
        {
            return publicUrl;
        }

        var dashboard = plan.DashboardUrl;
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{dashboard.Scheme}://{request.Host.Host}:{dashboard.Port}/"));
    }
}
