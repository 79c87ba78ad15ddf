namespace MiniPaas.Core.Ingress;

/// <summary>Where the ingress listens, so the dashboard and tests can show and call an app's live URL.</summary>
public sealed class IngressEndpoint(int port, string appsDomain, Uri dashboardUrl)
{
    /// <summary>The port of <c>http://&lt;subdomain&gt;.&lt;AppsDomain&gt;</c>.</summary>
    public int Port { get; } = port;

    /// <summary>Domain under which apps live (e.g. <c>localhost</c>).</summary>
    public string AppsDomain { get; } = appsDomain;

    /// <summary>The dashboard's own address (first configured URL, wildcards shown as <c>localhost</c>).</summary>
    public Uri DashboardUrl { get; } = dashboardUrl;

    /// <summary>The host name of an app, e.g. <c>demo.localhost</c>.</summary>
    public string HostFor(string subdomain) => $"{subdomain.ToLowerInvariant()}.{AppsDomain}";

    /// <summary>The live URL of an app, e.g. <c>http://demo.localhost:8080/</c> (no port when it is 80).</summary>
    public Uri BaseUrlFor(string subdomain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subdomain);
        return new Uri(Port == 80 ? $"http://{HostFor(subdomain)}/" : $"http://{HostFor(subdomain)}:{Port}/");
    }
}
