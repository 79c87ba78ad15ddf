using System.Net;

namespace MiniPaas.Web.Ingress;

/// <summary>The ingress's own answers when it cannot proxy (unknown app, app not running, app not answering).</summary>
internal static class IngressPages
{
    public static Task WriteNotFoundAsync(HttpContext context, string subdomain, Uri dashboardUrl)
    {
        var name = WebUtility.HtmlEncode(subdomain);
        var dashboard = WebUtility.HtmlEncode(dashboardUrl.ToString());
        return WriteAsync(context, StatusCodes.Status404NotFound, $"No app called {name}",
            $"<p>No app called <b>{name}</b> — create a project with that subdomain in the dashboard at <a href=\"{dashboard}\">{dashboard}</a>.</p>");
    }

    /// <summary>A request on the ingress port whose host is no app (the ingress port serves apps only).</summary>
    /// <param name="context">The request.</param>
    /// <param name="appsDomain">Where apps live, for the explanation.</param>
    /// <param name="dashboard">Where the dashboard is, when the request named one of its hosts; else null (no link).</param>
    public static Task WriteNoAppAsync(HttpContext context, string appsDomain, Uri? dashboard)
    {
        var domain = WebUtility.HtmlEncode(appsDomain);
        var link = dashboard is null ? "" : $"<p>The dashboard is at <a href=\"{WebUtility.HtmlEncode(dashboard.ToString())}\">{WebUtility.HtmlEncode(dashboard.ToString())}</a>.</p>";
        return WriteAsync(context, StatusCodes.Status404NotFound, "No app at this address",
            $"<p>This port serves MiniPaas apps only, at <b>&lt;subdomain&gt;.{domain}</b>.</p>{link}");
    }

    public static Task WriteUnavailableAsync(HttpContext context, string subdomain, string status)
    {
        // Browsers re-check by themselves; clients that honour Retry-After do the same.
        context.Response.Headers.RetryAfter = "10";
        var name = WebUtility.HtmlEncode(subdomain);
        return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"{name} is not running",
            $"<p><b>{name}</b> has no running deployment right now (status: <b>{WebUtility.HtmlEncode(status)}</b>).</p><p>This page reloads every 10 seconds.</p>",
            refreshSeconds: 10);
    }

    public static Task WriteBadGatewayAsync(HttpContext context, string subdomain, int statusCode)
    {
        var name = WebUtility.HtmlEncode(subdomain);
        var what = statusCode == StatusCodes.Status504GatewayTimeout ? "did not answer in time" : "refused the connection or closed it";
        return WriteAsync(context, statusCode, $"{name} is not answering",
            $"<p>The app <b>{name}</b> {what}. It may be starting, crashed, or listening on another port than <code>PORT</code>; check its runtime logs in the dashboard.</p>");
    }

    public static Task WriteServedByTraefikAsync(HttpContext context, string subdomain)
    {
        var name = WebUtility.HtmlEncode(subdomain);
        return WriteAsync(context, StatusCodes.Status404NotFound, $"{name} is served by Traefik",
            $"<p>This MiniPaas runs in Traefik mode (<code>MiniPaas:Ingress:Mode=Traefik</code>): open <b>{name}</b> through Traefik's entry point, not MiniPaas's own app port.</p>");
    }

    private static async Task WriteAsync(HttpContext context, int statusCode, string title, string body, int? refreshSeconds = null)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        var refresh = refreshSeconds is { } s ? $"<meta http-equiv=\"refresh\" content=\"{s}\">" : string.Empty;
        var html = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">{refresh}<title>{title} · MiniPaas</title>
            <style>body{"{"}font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222{"}"}h1{"{"}font-size:1.4rem{"}"}small{"{"}color:#888{"}"}</style>
            </head><body><h1>{title}</h1>{body}<p><small>MiniPaas ingress · {statusCode}</small></p></body></html>
            """;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.WriteAsync(html, context.RequestAborted);
        }
    }
}
