using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Web.Ingress;

/// <summary>One address Kestrel is told to listen on, with what to probe before start-up.</summary>
public sealed record ListenAddress(string Url, string Scheme, string Host, IPAddress ProbeAddress, int Port, bool IsIngress);

/// <summary>
/// Every address MiniPaas listens on: the dashboard URLs as configured (<c>urls</c>, i.e. <c>--urls</c> /
/// <c>ASPNETCORE_URLS</c>, default <c>http://localhost:3000</c>) plus the ingress port. Computed once at start-up.
/// The ingress port serves apps only: a configured URL on that port is an ingress listener, not a dashboard one, and at
/// least one URL must be left for the dashboard.
/// </summary>
public sealed class IngressListenPlan
{
    /// <summary>Dashboard address when nothing is configured.</summary>
    public const string DefaultUrls = "http://localhost:3000";

    private static readonly int[] FallbackIngressPorts = [8080, 8081, 8082];

    private static readonly string[] WildcardHosts = ["*", "+", "0.0.0.0", "::", "[::]"];

    private IngressListenPlan(IReadOnlyList<ListenAddress> dashboard, IReadOnlyList<ListenAddress> ingress, bool isIngressPortAutomatic)
    {
        Dashboard = dashboard;
        Ingress = ingress[0];
        _ingressListeners = ingress;
        IsIngressPortAutomatic = isIngressPortAutomatic;
        var first = dashboard[0];
        var shownHost = IsWildcard(first.Host) ? "localhost" : first.Host;
        DashboardUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"{first.Scheme}://{shownHost}:{first.Port}/"));
        DashboardHosts = dashboard.Select(a => a.Host).Where(h => !IsWildcard(h)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private readonly IReadOnlyList<ListenAddress> _ingressListeners;

    /// <summary>The dashboard's listeners (none of them on the ingress port).</summary>
    public IReadOnlyList<ListenAddress> Dashboard { get; }

    /// <summary>The ingress listener (the first, when the configured URLs name several on the ingress port).</summary>
    public ListenAddress Ingress { get; }

    /// <summary>True when no port was configured and 80/8080 was chosen by probing.</summary>
    public bool IsIngressPortAutomatic { get; }

    public Uri DashboardUrl { get; }

    /// <summary>The named hosts of the dashboard's own URLs; part of what <see cref="Hosting.DashboardHosts"/> allows.</summary>
    public IReadOnlySet<string> DashboardHosts { get; }

    /// <summary>Everything Kestrel must listen on, as URLs: the dashboard's, then the ingress's.</summary>
    public IReadOnlyList<string> AllUrls => [.. Dashboard.Select(a => a.Url), .. _ingressListeners.Select(a => a.Url)];

    /// <param name="urls">The configured <c>urls</c> value (semicolon-separated); null or empty means <see cref="DefaultUrls"/>.</param>
    /// <param name="canBind">Probe used to choose 80 or 8080 when no ingress port is configured.</param>
    public static IngressListenPlan Create(string? urls, IngressOptions options, Func<IPAddress, int, bool>? canBind = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        canBind ??= static (address, port) => PortProbe.TryBind(address, port) == SocketError.Success;

        var configured = (string.IsNullOrWhiteSpace(urls) ? DefaultUrls : urls)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
        if (configured.Count == 0)
        {
            configured.Add(DefaultUrls);
        }

        // Apps under localhost only need loopback; a real domain must be reachable from outside.
        var isLocal = string.Equals(options.AppsDomain, "localhost", StringComparison.OrdinalIgnoreCase);
        var ingressHost = isLocal ? "localhost" : "*";
        var probe = isLocal ? IPAddress.Loopback : IPAddress.Any;
        var isAutomatic = options.Port is null;
        var configuredPorts = configured.Select(u => Parse(u, isIngress: false).Port).ToHashSet();
        // An automatic choice never takes a port the dashboard was given.
        var port = options.Port
            ?? (!configuredPorts.Contains(80) && canBind(probe, 80) ? 80 : FallbackIngressPorts.First(p => !configuredPorts.Contains(p)));

        // A configured URL on the ingress port (a test host spelling out both listeners) becomes an ingress listener.
        var ingress = configured.Select(u => Parse(u, isIngress: true)).Where(a => a.Port == port).ToList();
        var dashboard = configured.Select(u => Parse(u, isIngress: false)).Where(a => a.Port != port).ToList();
        if (dashboard.Count == 0)
        {
            throw new OptionsValidationException(IngressOptions.SectionName, typeof(IngressOptions),
            [
                string.Create(CultureInfo.InvariantCulture,
                    $"the dashboard URLs ({string.Join(", ", configured)}) all use the app ingress port {port}, which serves apps only: give the dashboard another port (--urls) or move the ingress (MiniPaas:Ingress:Port)."),
            ]);
        }

        if (ingress.Count == 0)
        {
            ingress.Add(Parse(string.Create(CultureInfo.InvariantCulture, $"http://{ingressHost}:{port}"), isIngress: true));
        }

        return new IngressListenPlan(dashboard, ingress, isAutomatic);
    }

    /// <summary>
    /// Try-binds every address before Kestrel starts, so a taken port gives one actionable line rather than Kestrel's
    /// stack trace. Throws <see cref="PortInUseException"/>.
    /// </summary>
    public void EnsurePortsFree()
    {
        foreach (var address in Dashboard.Concat(_ingressListeners).Where(a => a.Port != 0))
        {
            var error = PortProbe.TryBind(address.ProbeAddress, address.Port);
            if (error is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                throw new PortInUseException(Describe(address, error)) { Port = address.Port };
            }
        }
    }

    private string Describe(ListenAddress address, SocketError error)
    {
        var problem = error == SocketError.AccessDenied
            ? string.Create(CultureInfo.InvariantCulture, $"Port {address.Port} cannot be bound without elevated rights")
            : string.Create(CultureInfo.InvariantCulture, $"Port {address.Port} is already in use");
        if (address.IsIngress)
        {
            var hint = IsIngressPortAutomatic ? " (port 80 was not available either)" : string.Empty;
            return string.Create(CultureInfo.InvariantCulture,
                $"{problem}{hint}: the app ingress needs it. Stop the other program or set MiniPaas__Ingress__Port to a free port (e.g. MiniPaas__Ingress__Port={SuggestPort(address)}).");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{problem}: stop the other program or start with --urls {address.Scheme}://{address.Host}:{SuggestPort(address)}");
    }

    // Suggest a port that would actually work: free now and not one MiniPaas itself is about to use.
    private int SuggestPort(ListenAddress address)
    {
        for (var port = address.Port + 1; port < Math.Min(address.Port + 100, 65536); port++)
        {
            if (Ingress.Port != port && Dashboard.All(a => a.Port != port)
                && PortProbe.TryBind(address.ProbeAddress, port) == SocketError.Success)
            {
                return port;
            }
        }

        return address.Port + 1;
    }

    private static ListenAddress Parse(string url, bool isIngress)
    {
        var binding = BindingAddress.Parse(url);
        var host = binding.Host;
        var bare = host.Trim('[', ']');
        IPAddress probe = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : IPAddress.TryParse(bare, out var ip) ? ip : IPAddress.Any;
        return new ListenAddress(url.TrimEnd('/'), binding.Scheme, host, probe, binding.Port, isIngress);
    }

    private static bool IsWildcard(string host) => WildcardHosts.Contains(host, StringComparer.Ordinal);
}

/// <summary>Checks whether a TCP port can be bound right now.</summary>
public static class PortProbe
{
    /// <summary>Binds and releases a socket; returns <see cref="SocketError.Success"/> when the port is free.</summary>
    public static SocketError TryBind(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            return SocketError.Success;
        }
        catch (SocketException ex)
        {
            // AddressNotAvailable (e.g. no IPv6 on this host) is Kestrel's problem to skip, not a conflict.
            return ex.SocketErrorCode;
        }
    }
}
