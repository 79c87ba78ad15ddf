using System.Collections.Frozen;
using MiniPaas.Core.Ingress;

namespace MiniPaas.Web.Ingress;

/// <summary>A route as the proxy uses it: the table's entry plus its destination prefix, built once per table version.</summary>
internal sealed record LiveRoute(AppRoute Route, string? Destination);

/// <summary>
/// The <see cref="RouteTable"/> compiled for the request path: a frozen, case-insensitive map that can be searched with the
/// subdomain as a span of the Host header (no string per request), and each upstream's <c>http://host:port/</c> built once
/// per change instead of once per request. Rebuilt lazily when the table's snapshot changed, so a lookup never sees an
/// older table than <see cref="RouteTable.Current"/> at the time of the call.
/// </summary>
internal sealed class LiveRoutes(RouteTable table)
{
    private Compiled _compiled = Compiled.Create(table.Current);

    public bool TryFind(ReadOnlySpan<char> subdomain, out LiveRoute route)
    {
        var snapshot = table.Current;
        var compiled = Volatile.Read(ref _compiled);
        if (!ReferenceEquals(compiled.Snapshot, snapshot))
        {
            // Concurrent rebuilds of the same snapshot are harmless: each publishes an equal map.
            compiled = Compiled.Create(snapshot);
            Volatile.Write(ref _compiled, compiled);
        }

        return compiled.Lookup.TryGetValue(subdomain, out route!);
    }

    private sealed record Compiled(RouteSnapshot Snapshot, FrozenDictionary<string, LiveRoute>.AlternateLookup<ReadOnlySpan<char>> Lookup)
    {
        public static Compiled Create(RouteSnapshot snapshot)
        {
            var routes = snapshot.Routes.ToFrozenDictionary(
                pair => pair.Key,
                pair => new LiveRoute(pair.Value, pair.Value.Upstream is { } upstream ? "http://" + upstream + "/" : null),
                StringComparer.OrdinalIgnoreCase);
            return new Compiled(snapshot, routes.GetAlternateLookup<ReadOnlySpan<char>>());
        }
    }
}
