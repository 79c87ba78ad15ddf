namespace MiniPaas.Core.Ingress;

/// <summary>Where the ingress listens, so the dashboard and tests can show and call an app's live URL.</summary>
/// <param name="port">The ingress port.</param>
/// <param name="appsDomain">Domain under which apps live.</param>
/// <param name="dashboardUrl">The dashboard's own address.</param>
/// <param name="dashboardHosts">Every host name the dashboard answers on (never an app's); none when null.</param>
public sealed class IngressEndpoint(int port, string appsDomain, Uri dashboardUrl, IEnumerable<string>? dashboardHosts = null)
{
    private readonly HashSet<string> _dashboardHosts = new(dashboardHosts ?? [], StringComparer.OrdinalIgnoreCase);

    /// <summary>The port of <c>http://&lt;subdomain&gt;.&lt;AppsDomain&gt;</c>.</summary>
    public int Port { get; } = port;

    /// <summary>Domain under which apps live (e.g. <c>localhost</c>).</summary>
    public string AppsDomain { get; } = appsDomain;

    /// <summary>The dashboard's own address (first configured URL, wildcards shown as <c>localhost</c>).</summary>
    public Uri DashboardUrl { get; } = dashboardUrl;

    /// <summary>The host name of an app, e.g. <c>demo.localhost</c>.</summary>
    public string HostFor(string subdomain) => $"{subdomain.ToLowerInvariant()}.{AppsDomain}";

    /// <summary>
    /// Whether an app with <paramref name="subdomain"/> would have one of the dashboard's host names (e.g. <c>paas</c> when the
    /// dashboard is <c>paas.example.com</c> and apps live under <c>example.com</c>): the ingress never serves such an app.
    /// </summary>
    public bool IsDashboardHost(string subdomain) => _dashboardHosts.Contains(HostFor(subdomain));

    /// <summary>The live URL of an app, e.g. <c>http://demo.localhost:8080/</c> (no port when it is 80).</summary>
    public Uri BaseUrlFor(string subdomain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subdomain);
        return new Uri(Port == 80 ? $"http://{HostFor(subdomain)}/" : $"http://{HostFor(subdomain)}:{Port}/");
    }
}
