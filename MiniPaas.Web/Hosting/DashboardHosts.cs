using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.GitHub;
using MiniPaas.Web.Ingress;

namespace MiniPaas.Web.Hosting;

/// <summary>
/// The host names the dashboard answers on: <c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>, <see cref="DashboardOptions.Hosts"/>,
/// the host of <c>MiniPaas:GitHub:PublicUrl</c> and the named hosts of the dashboard's listen URLs. They are never app hosts,
/// whatever <c>AppsDomain</c> is, and any other <c>Host</c> is refused on the dashboard's port (<see cref="DashboardHostFilter"/>).
/// </summary>
public sealed class DashboardHosts
{
    /// <summary>Always allowed: a DNS-rebinding page never carries these names, only the attacker's own.</summary>
    public static IReadOnlyList<string> Loopback { get; } = ["localhost", "127.0.0.1", "[::1]"];

    private readonly FrozenSet<string> _names;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public DashboardHosts(IOptions<DashboardOptions> options, IOptions<GitHubOptions> gitHub, IngressListenPlan plan)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gitHub);
        ArgumentNullException.ThrowIfNull(plan);
        PublicUrl = Uri.TryCreate(gitHub.Value.PublicUrl, UriKind.Absolute, out var publicUrl) ? publicUrl : null;
        IEnumerable<string> names = [.. Loopback, .. options.Value.Hosts.Select(h => h.Trim()), .. plan.DashboardHosts];
        if (PublicUrl is not null)
        {
            // Uri.Host keeps an IPv6 address in brackets, as a Host header carries it.
            names = names.Append(PublicUrl.Host);
        }

        _names = names.Where(IsHostName).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Every allowed name (lower or mixed case as configured; compared case-insensitively).</summary>
    public IReadOnlyCollection<string> Names => _names;

    /// <summary>The configured public address (<c>MiniPaas:GitHub:PublicUrl</c>), or null.</summary>
    public Uri? PublicUrl { get; }

    /// <summary>Whether <paramref name="hostName"/> (a Host header's name part, without the port) is one of the dashboard's.</summary>
    public bool Contains(ReadOnlySpan<char> hostName) => _lookup.Contains(hostName);

    /// <summary>Whether the request's <c>Host</c> names the dashboard (its port is not compared).</summary>
    public bool Contains(HostString host) => host.HasValue && Contains(host.Host.AsSpan());

    /// <summary>A bare host name or address: no scheme, port, path, user info or wildcard; IPv6 in brackets.</summary>
    public static bool IsHostName(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var host = value.Trim();
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            return System.Net.IPAddress.TryParse(host[1..^1], out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }

        return Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }
}

/// <summary>Registers <see cref="DashboardHosts"/> and its validated options.</summary>
public static class DashboardHostsRegistration
{
    public static IServiceCollection AddDashboardHosts(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>());
        services.TryAddSingleton<DashboardHosts>();
        return services;
    }
}
