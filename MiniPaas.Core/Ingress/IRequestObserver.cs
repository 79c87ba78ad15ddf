namespace MiniPaas.Core.Ingress;

/// <summary>One request the ingress answered for a known project (proxied, or refused with 502/503/504).</summary>
public sealed record ProxiedRequest(
    long ProjectId,
    long? DeploymentId,
    string Subdomain,
    string Method,
    string Path,
    int StatusCode,
    double DurationMs,
    long BytesSent,
    string? UserAgent,
    string? RemoteIp,
    DateTimeOffset Timestamp);

/// <summary>
/// Hook called by the ingress after each request to a known project completed (the analytics capture point).
/// Called on the request's own thread: implementations must never block or do I/O here — hand the record to a
/// bounded channel (<c>TryWrite</c>) and return. Exceptions are caught and logged by the ingress.
/// </summary>
public interface IRequestObserver
{
    void OnRequestCompleted(ProxiedRequest request);
}

/// <summary>The default observer: ignores everything.</summary>
public sealed class NullRequestObserver : IRequestObserver
{
    public void OnRequestCompleted(ProxiedRequest request)
    {
    }
}
