using System.Globalization;
using MiniPaas.Core.Ingress;
using MiniPaas.Web.Hosting;

namespace MiniPaas.Web.Ingress;

/// <summary>
/// The ingress port serves apps only. The host branch before it has answered every app host; whatever else arrives on the
/// ingress port gets the ingress's own 404 page — never the dashboard, its static files or <c>/_blazor</c> — except that a
/// GET or HEAD for one of the dashboard's hosts is redirected to the dashboard's own port (or public URL).
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
        if (dashboardHosts.Contains(request.Host) && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            context.Response.Redirect(DashboardAddress(request).ToString());
            return Task.CompletedTask;
        }

        return IngressPages.WriteNoAppAsync(context, endpoint.AppsDomain);
    }

    // The name the visitor used, on the dashboard's port; the public URL when that is the name (a proxy in front owns the port).
    private Uri DashboardAddress(HttpRequest request)
    {
        var path = request.PathBase + request.Path + request.QueryString;
        // Built as text, never resolved against a base: a path such as "/http://elsewhere" must stay a path.
        if (dashboardHosts.PublicUrl is { } publicUrl && string.Equals(publicUrl.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase))
        {
            return new Uri(publicUrl.GetLeftPart(UriPartial.Authority) + publicUrl.AbsolutePath.TrimEnd('/') + path);
        }

        var dashboard = plan.DashboardUrl;
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{dashboard.Scheme}://{request.Host.Host}:{dashboard.Port}{path}"));
    }
}
