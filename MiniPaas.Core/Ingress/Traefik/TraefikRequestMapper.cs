using MiniPaas.Core.Projects;

namespace MiniPaas.Core.Ingress.Traefik;

/// <summary>Maps a Traefik access-log entry to the request record the analytics capture takes, for apps MiniPaas knows.</summary>
public static class TraefikRequestMapper
{
    /// <summary>
    /// The record for <paramref name="entry"/>, or null when it is not for one of our apps (Traefik's own routers, the
    /// dashboard's file-provider router, unknown hosts). The app is found by our router name, else by the Host.
    /// </summary>
    public static ProxiedRequest? ToRequest(TraefikAccessLogEntry entry, IRouteTable routes, string appsDomain)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(routes);
        var subdomain = SubdomainOf(entry, appsDomain);
        if (subdomain is null || routes.Find(subdomain) is not { } route)
        {
            return null;
        }

        return new ProxiedRequest(
            ProjectId: route.ProjectId,
            DeploymentId: route.DeploymentId,
            Subdomain: route.Subdomain,
            Method: entry.Method,
            Path: entry.Path,
            StatusCode: entry.Status,
            DurationMs: entry.DurationMs,
            BytesSent: entry.BytesSent,
            UserAgent: entry.UserAgent,
            RemoteIp: entry.ClientHost,
            Timestamp: entry.Start,
            BytesReceived: entry.BytesReceived,
            Referrer: entry.Referrer);
    }

    internal static string? SubdomainOf(TraefikAccessLogEntry entry, string appsDomain)
    {
        // Our routers are "minipaas-<subdomain>@docker".
        if (entry.RouterName is { } router && router.StartsWith(TraefikLabels.RouterPrefix, StringComparison.Ordinal))
        {
            var at = router.IndexOf('@', StringComparison.Ordinal);
            var name = at >= 0 ? router[TraefikLabels.RouterPrefix.Length..at] : router[TraefikLabels.RouterPrefix.Length..];
            return SubdomainRules.Check(name) is null ? name : null;
        }

        if (entry.RouterName is not null || entry.Host is not { } host)
        {
            return null;
        }

        var colon = host.LastIndexOf(':');
        var hostName = (colon > 0 ? host[..colon] : host).ToLowerInvariant();
        var suffix = "." + appsDomain.ToLowerInvariant();
        if (!hostName.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var candidate = hostName[..^suffix.Length];
        return SubdomainRules.Check(candidate) is null ? candidate : null;
    }
}
