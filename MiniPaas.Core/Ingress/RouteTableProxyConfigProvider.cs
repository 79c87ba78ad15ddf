using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using MiniPaas.Core.Configuration;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace MiniPaas.Core.Ingress;

/// <summary>
/// Feeds YARP from the <see cref="RouteTable"/>: one route per subdomain with a live upstream (Host
/// <c>&lt;subdomain&gt;.&lt;AppsDomain&gt;</c>, any port, any path) and one cluster per deployment. Every table change
/// builds a complete new config and then cancels the previous config's change token, so YARP swaps atomically.
/// </summary>
public sealed class RouteTableProxyConfigProvider : IProxyConfigProvider, IDisposable
{
    /// <summary>Route metadata keys (read by request capture).</summary>
    public const string ProjectIdKey = "minipaas.projectId";
    public const string DeploymentIdKey = "minipaas.deploymentId";
    public const string SubdomainKey = "minipaas.subdomain";

    /// <summary>How long the proxy waits for any activity (headers or body bytes) from an upstream.</summary>
    public static readonly TimeSpan ActivityTimeout = TimeSpan.FromSeconds(100);

    /// <summary>Per-request forwarding settings shared with the host-branch forwarder.</summary>
    public static ForwarderRequestConfig RequestConfig { get; } = new()
    {
        ActivityTimeout = ActivityTimeout,
        // Apps are plain HTTP/1.1 containers; stream responses as they come (server-sent events, long polls).
        Version = System.Net.HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        AllowResponseBuffering = false,
    };

    private readonly RouteTable _table;
    private readonly string _appsDomain;
    private readonly Lock _gate = new();
    private RouteTableProxyConfig _config;

    public RouteTableProxyConfigProvider(RouteTable table, IOptions<IngressOptions> options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        _table = table;
        _appsDomain = options.Value.AppsDomain;
        _config = Build(table.Current);
        _table.Changed += OnTableChanged;
    }

    public IProxyConfig GetConfig() => Volatile.Read(ref _config);

    public void Dispose() => _table.Changed -= OnTableChanged;

    private void OnTableChanged(RouteSnapshot snapshot)
    {
        RouteTableProxyConfig previous;
        lock (_gate)
        {
            // Always build from the latest snapshot: notifications may arrive out of order, the table may not.
            var latest = _table.Current;
            if (latest.Version <= _config.Version)
            {
                return;
            }

            previous = _config;
            Volatile.Write(ref _config, Build(latest));
        }

        previous.SignalChange();
    }

    private RouteTableProxyConfig Build(RouteSnapshot snapshot)
    {
        var routes = new List<RouteConfig>();
        var clusters = new Dictionary<string, ClusterConfig>(StringComparer.Ordinal);
        foreach (var route in snapshot.Routes.Values.OrderBy(r => r.Subdomain, StringComparer.Ordinal))
        {
            if (route.Upstream is null || route.DeploymentId is not { } deploymentId)
            {
                continue; // Known but not live: answered 503 by the ingress itself.
            }

            var clusterId = string.Create(CultureInfo.InvariantCulture, $"deployment-{deploymentId}");
            routes.Add(new RouteConfig
            {
                RouteId = "app-" + route.Subdomain,
                ClusterId = clusterId,
                // A host without a port matches any port in ASP.NET Core host matching.
                Match = new RouteMatch { Hosts = [$"{route.Subdomain}.{_appsDomain}"], Path = "/{**catch-all}" },
                Metadata = new Dictionary<string, string>
                {
                    [ProjectIdKey] = route.ProjectId.ToString(CultureInfo.InvariantCulture),
                    [DeploymentIdKey] = deploymentId.ToString(CultureInfo.InvariantCulture),
                    [SubdomainKey] = route.Subdomain,
                },
            });
            clusters.TryAdd(clusterId, new ClusterConfig
            {
                ClusterId = clusterId,
                Destinations = new Dictionary<string, DestinationConfig>
                {
                    ["upstream"] = new() { Address = $"http://{route.Upstream}/" },
                },
                HttpRequest = RequestConfig,
                HttpClient = new HttpClientConfig { DangerousAcceptAnyServerCertificate = false },
            });
        }

        return new RouteTableProxyConfig(snapshot.Version, routes, [.. clusters.Values]);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "YARP may still register on an old config's token; a cancelled source without timers holds nothing to free.")]
    private sealed class RouteTableProxyConfig(long version, IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters)
        : IProxyConfig
    {
        private readonly CancellationTokenSource _changed = new();

        public long Version { get; } = version;

        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        public IChangeToken ChangeToken => new CancellationChangeToken(_changed.Token);

        public void SignalChange() => _changed.Cancel();
    }
}
