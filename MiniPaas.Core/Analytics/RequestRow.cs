using MiniPaas.Core.Ingress;

namespace MiniPaas.Core.Analytics;

/// <summary>A captured request as it is stored: query dropped, referrer reduced to its host, visitor hashed, agent classified.</summary>
public sealed record RequestRow(
    long Seq,
    long ProjectId,
    long? DeploymentId,
    DateTimeOffset Timestamp,
    string Method,
    string Path,
    string? Query,
    short Status,
    float DurationMs,
    long BytesIn,
    long BytesOut,
    string? ReferrerHost,
    UserAgentClass AgentClass,
    long VisitorId,
    string? ClientIp)
{
    /// <summary>Longest path stored; longer ones are cut (a path is not a place for megabytes of data).</summary>
    public const int MaxPathLength = 2048;

    /// <summary>Turns a captured request into its stored form, applying the privacy options.</summary>
    public static RequestRow From(ProxiedRequest request, long seq, VisitorIds visitors, AnalyticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(visitors);
        ArgumentNullException.ThrowIfNull(options);
        return new RequestRow(
            seq,
            request.ProjectId,
            request.DeploymentId,
            request.Timestamp,
            Cut(request.Method, 16),
            Cut(request.Path.Length == 0 ? "/" : request.Path, MaxPathLength),
            options.KeepQueryString && !string.IsNullOrEmpty(request.QueryString) ? Cut(request.QueryString, MaxPathLength) : null,
            (short)Math.Clamp(request.StatusCode, 0, short.MaxValue),
            (float)Math.Max(0, request.DurationMs),
            Math.Max(0, request.BytesReceived),
            Math.Max(0, request.BytesSent),
            ReferrerHostOf(request.Referrer),
            UserAgentClassifier.Classify(request.UserAgent),
            visitors.Compute(request.RemoteIp, request.UserAgent, request.ProjectId, request.Timestamp),
            options.StoreClientIp ? request.RemoteIp : null);
    }

    /// <summary>The lower-case host of an absolute http(s) Referer, else null (paths and garbage say nothing useful).</summary>
    public static string? ReferrerHostOf(string? referrer) =>
        Uri.TryCreate(referrer, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.IdnHost.ToLowerInvariant()
            : null;

    private static string Cut(string value, int length) => value.Length <= length ? value : value[..length];
}
