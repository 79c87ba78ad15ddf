namespace MiniPaas.Core.Ingress;

/// <summary>One request the ingress answered for a known project (proxied, or refused with 502/503/504).</summary>
/// <param name="BytesReceived">Request body bytes (the Content-Length; 0 when unknown).</param>
/// <param name="Referrer">The Referer header as sent; analytics keeps only its host.</param>
/// <param name="QueryString">The query string including '?', or null; analytics drops it unless told to keep it.</param>
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
    DateTimeOffset Timestamp,
    long BytesReceived = 0,
    string? Referrer = null,
    string? QueryString = null);

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
