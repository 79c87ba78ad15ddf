using System.Globalization;
using System.Text.RegularExpressions;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Projects;

namespace MiniPaas.Core.Ingress.Traefik;

/// <summary>How Traefik should route to one app: <c>Host(`&lt;Subdomain&gt;.&lt;AppsDomain&gt;`)</c> on <see cref="EntryPoint"/> to <see cref="Port"/>.</summary>
public sealed record TraefikRoute(string Subdomain, string AppsDomain, int Port, string EntryPoint, string? Network)
{
    /// <summary>Router and service name, e.g. <c>minipaas-demo</c> (Traefik shows it as <c>minipaas-demo@docker</c>).</summary>
    public string RouterName => TraefikLabels.RouterPrefix + Subdomain;

    public string Host => $"{Subdomain}.{AppsDomain}";
}

/// <summary>
/// The Docker labels that make Traefik's Docker provider route an app, built only from validated values: a label value is
/// Traefik configuration, so a subdomain like <c>x`) || PathPrefix(`/</c> must never reach a rule. <see cref="Parse"/> reads
/// them back (round-trip tested) and refuses anything it would not have built.
/// </summary>
public static partial class TraefikLabels
{
    public const string RouterPrefix = "minipaas-";
    public const string Enable = "traefik.enable";
    public const string DockerNetwork = "traefik.docker.network";

    public static IReadOnlyDictionary<string, string> Build(TraefikRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (Problem(route) is { } problem)
        {
            throw new ArgumentException($"Cannot build Traefik labels: {problem}", nameof(route));
        }

        var name = route.RouterName;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Enable] = "true",
            [$"traefik.http.routers.{name}.rule"] = $"Host(`{route.Host}`)",
            [$"traefik.http.routers.{name}.entrypoints"] = route.EntryPoint,
            [$"traefik.http.routers.{name}.service"] = name,
            [$"traefik.http.services.{name}.loadbalancer.server.port"] = route.Port.ToString(CultureInfo.InvariantCulture),
        };
        if (route.Network is { Length: > 0 } network)
        {
            labels[DockerNetwork] = network;
        }

        return labels;
    }

    /// <summary>The route the labels describe, or null when they are not MiniPaas's own valid Traefik labels.</summary>
    public static TraefikRoute? Parse(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (!labels.TryGetValue(Enable, out var enabled) || !string.Equals(enabled, "true", StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var (key, value) in labels)
        {
            var router = RouterRuleKey().Match(key);
            if (!router.Success)
            {
                continue;
            }

            var name = router.Groups["name"].Value;
            var rule = HostRule().Match(value);
            if (!rule.Success
                || !labels.TryGetValue($"traefik.http.routers.{name}.entrypoints", out var entryPoint)
                || !labels.TryGetValue($"traefik.http.routers.{name}.service", out var service) || service != name
                || !labels.TryGetValue($"traefik.http.services.{name}.loadbalancer.server.port", out var portText)
                || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                return null;
            }

            var host = rule.Groups["host"].Value;
            var dot = host.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0)
            {
                return null;
            }

            var route = new TraefikRoute(host[..dot], host[(dot + 1)..], port, entryPoint, labels.GetValueOrDefault(DockerNetwork));
            return route.RouterName == name && Problem(route) is null ? route : null;
        }

        return null;
    }

    /// <summary>Why <paramref name="route"/> cannot become labels, or null when every value is safe.</summary>
    public static string? Problem(TraefikRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (SubdomainRules.Check(route.Subdomain) is { } subdomainProblem)
        {
            return $"subdomain '{route.Subdomain}': {subdomainProblem}";
        }

        if (!IngressOptionsValidator.IsValidDomain(route.AppsDomain) || route.AppsDomain.Any(char.IsAsciiLetterUpper))
        {
            return $"apps domain '{route.AppsDomain}' is not a valid lowercase domain name";
        }

        if (route.Port is < 1 or > 65535)
        {
            return $"port {route.Port} is outside 1–65535";
        }

        if (!TraefikOptions.EntryPointPattern().IsMatch(route.EntryPoint))
        {
            return $"entry point '{route.EntryPoint}' must be letters, digits, '-' or '_'";
        }

        if (route.Network is { Length: > 0 } network && !TraefikOptions.NetworkPattern().IsMatch(network))
        {
            return $"network '{network}' is not a valid Docker network name";
        }

        return null;
    }

    [GeneratedRegex(@"^traefik\.http\.routers\.(?<name>[^.]+)\.rule$", RegexOptions.CultureInvariant)]
    private static partial Regex RouterRuleKey();

    [GeneratedRegex(@"^Host\(`(?<host>[a-z0-9.-]+)`\)$", RegexOptions.CultureInvariant)]
    private static partial Regex HostRule();
}
