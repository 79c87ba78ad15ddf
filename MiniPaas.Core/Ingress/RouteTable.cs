using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Primitives;

namespace MiniPaas.Core.Ingress;

/// <summary>
/// One immutable version of the route table. A reader holding a snapshot never sees a half-applied change;
/// <see cref="ChangeToken"/> fires once a newer snapshot replaced this one.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Readers may register on an old snapshot's token at any time; a cancelled source without timers holds nothing to free.")]
public sealed class RouteSnapshot
{
    private readonly CancellationTokenSource _superseded = new();

    internal RouteSnapshot(long version, ImmutableDictionary<string, AppRoute> routes)
    {
        Version = version;
        Routes = routes;
        ChangeToken = new CancellationChangeToken(_superseded.Token);
    }

    // A new instance per table: each snapshot owns the token that tells its readers it was superseded.
    internal static RouteSnapshot CreateEmpty() => new(0, ImmutableDictionary.Create<string, AppRoute>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Increases by one on every change.</summary>
    public long Version { get; }

    /// <summary>Routes by subdomain (case-insensitive keys).</summary>
    public ImmutableDictionary<string, AppRoute> Routes { get; }

    /// <summary>Fires when this snapshot is superseded.</summary>
    public IChangeToken ChangeToken { get; }

    internal CancellationToken Superseded => _superseded.Token;

    public AppRoute? Find(string subdomain) => Routes.GetValueOrDefault(subdomain);

    internal void MarkSuperseded() => _superseded.Cancel();
}

/// <summary>
/// Thread-safe <see cref="IRouteTable"/>: writers build a new immutable <see cref="RouteSnapshot"/> and swap it in atomically,
/// readers (the proxy, on every request) read the current one without locking.
/// </summary>
public sealed class RouteTable : IRouteTable
{
    private readonly Lock _writeGate = new();
    private RouteSnapshot _current = RouteSnapshot.CreateEmpty();

    /// <summary>Raised after each change with the new snapshot; handlers must be quick and must not throw.</summary>
    public event Action<RouteSnapshot>? Changed;

    /// <summary>The snapshot in force now.</summary>
    public RouteSnapshot Current => Volatile.Read(ref _current);

    /// <summary>A token that fires on the next change.</summary>
    public IChangeToken GetChangeToken() => Current.ChangeToken;

    public void SetUpstream(string subdomain, long projectId, long deploymentId, string upstream)
    {
        var key = NormalizeSubdomain(subdomain);
        ArgumentException.ThrowIfNullOrWhiteSpace(upstream);
        if (upstream.Contains('/', StringComparison.Ordinal) || !Uri.TryCreate($"http://{upstream}/", UriKind.Absolute, out _))
        {
            throw new ArgumentException($"Upstream must be host:port, got '{upstream}'.", nameof(upstream));
        }

        Apply(key, new AppRoute(key, projectId, deploymentId, upstream, "Running"));
    }

    public void SetUnavailable(string subdomain, long projectId, string status)
    {
        var key = NormalizeSubdomain(subdomain);
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        Apply(key, new AppRoute(key, projectId, null, null, status));
    }

    public void Remove(string subdomain) => Apply(NormalizeSubdomain(subdomain), null);

    public AppRoute? Find(string subdomain) =>
        string.IsNullOrWhiteSpace(subdomain) ? null : Current.Find(HostNames.Normalize(subdomain.Trim()));

    public IReadOnlyCollection<AppRoute> Snapshot() => [.. Current.Routes.Values];

    /// <summary>The current routes, then the routes again after every change, until <paramref name="ct"/> is cancelled.</summary>
    public async IAsyncEnumerable<IReadOnlyCollection<AppRoute>> WatchRoutesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        while (!ct.IsCancellationRequested)
        {
            var snapshot = Current;
            yield return [.. snapshot.Routes.Values];

            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (snapshot.Superseded.Register(() => changed.TrySetResult()))
            using (ct.Register(() => changed.TrySetCanceled(ct)))
            {
                await changed.Task.ConfigureAwait(false);
            }
        }
    }

    private void Apply(string key, AppRoute? route)
    {
        RouteSnapshot previous, next;
        lock (_writeGate)
        {
            previous = _current;
            var existing = previous.Routes.GetValueOrDefault(key);
            if (existing == route)
            {
                return; // Nothing changed: spare YARP a reload.
            }

            var routes = route is null ? previous.Routes.Remove(key) : previous.Routes.SetItem(key, route);
            next = new RouteSnapshot(previous.Version + 1, routes);
            Volatile.Write(ref _current, next);
        }

        // Notify outside the lock so a slow handler never holds up writers; handlers read Current, so order does not matter.
        previous.MarkSuperseded();
        Changed?.Invoke(next);
    }

    private static string NormalizeSubdomain(string subdomain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subdomain);
        return HostNames.Normalize(subdomain.Trim());
    }
}
