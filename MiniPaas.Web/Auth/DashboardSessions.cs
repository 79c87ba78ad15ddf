using System.Collections.Concurrent;

namespace MiniPaas.Web.Auth;

/// <summary>
/// The dashboard's signed-in sessions as the server sees them: the open Blazor circuits of each session (so sign-out and
/// revocation reach them) and the sessions signed out in this process (their cookie is refused if replayed until it would
/// have expired anyway).
/// </summary>
public sealed class DashboardSessions(TimeProvider time)
{
    /// <summary>As long as a cookie lives (<c>ExpireTimeSpan</c>): after that the cookie itself is refused.</summary>
    internal static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(8);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<SessionCircuitHandler, byte>> _circuits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _signedOut = new(StringComparer.Ordinal);

    /// <summary>Open circuits of all sessions.</summary>
    public int OpenCircuitCount => _circuits.Values.Sum(c => c.Count);

    /// <summary>Open circuits of <paramref name="session"/>.</summary>
    public int CircuitCount(string session) => _circuits.TryGetValue(session, out var circuits) ? circuits.Count : 0;

    public bool IsSignedOut(string? session) =>
        session is not null && _signedOut.TryGetValue(session, out var until) && until > time.GetUtcNow();

    /// <summary>Refuses the session from now on and closes its open circuits.</summary>
    public void SignOut(string session)
    {
        ArgumentException.ThrowIfNullOrEmpty(session);
        var now = time.GetUtcNow();
        _signedOut[session] = now + CookieLifetime;
        foreach (var (id, until) in _signedOut)
        {
            if (until <= now)
            {
                _signedOut.TryRemove(id, out _);
            }
        }

        if (_circuits.TryGetValue(session, out var circuits))
        {
            foreach (var circuit in circuits.Keys)
            {
                circuit.Close();
            }
        }
    }

    internal void Add(string session, SessionCircuitHandler circuit) =>
        _circuits.GetOrAdd(session, _ => new ConcurrentDictionary<SessionCircuitHandler, byte>())[circuit] = 0;

    internal void Remove(string session, SessionCircuitHandler circuit)
    {
        if (_circuits.TryGetValue(session, out var circuits))
        {
            circuits.TryRemove(circuit, out _);
            if (circuits.IsEmpty)
            {
                _circuits.TryRemove(new KeyValuePair<string, ConcurrentDictionary<SessionCircuitHandler, byte>>(session, circuits));
            }
        }
    }
}
