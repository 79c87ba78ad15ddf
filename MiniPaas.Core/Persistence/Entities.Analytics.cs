namespace MiniPaas.Core.Persistence;

/// <summary>
/// One request through the ingress (raw event, kept for <c>MiniPaas:Retention:AnalyticsRaw</c>). Written in batches by
/// binary COPY; <see cref="Seq"/> is assigned in-process by <see cref="LogSequences.Analytics"/>.
/// </summary>
public sealed class RequestEventRecord
{
    public long Seq { get; set; }
    public long ProjectId { get; set; }
    public long? DeploymentId { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public required string Method { get; set; }
    /// <summary>Path without the query string (unless <c>MiniPaas:Analytics:KeepQueryString</c>).</summary>
    public required string Path { get; set; }
    /// <summary>The query string including '?', only when <c>MiniPaas:Analytics:KeepQueryString</c> is on.</summary>
    public string? Query { get; set; }
    public short Status { get; set; }
    public float DurationMs { get; set; }
    public long BytesIn { get; set; }
    public long BytesOut { get; set; }
    /// <summary>Host part of the Referer header, lower-case; null when absent or not a URL.</summary>
    public string? ReferrerHost { get; set; }
    /// <summary>A <see cref="MiniPaas.Core.Analytics.UserAgentClass"/>.</summary>
    public short AgentClass { get; set; }
    /// <summary>Daily-salted hash of IP + User-Agent + project (see <see cref="MiniPaas.Core.Analytics.VisitorIds"/>).</summary>
    public long VisitorId { get; set; }
    /// <summary>The client's address, only when <c>MiniPaas:Analytics:StoreClientIp</c> is on.</summary>
    public string? ClientIp { get; set; }
}

/// <summary>Summed requests of one project over a period (the columns shared by the minute and hour rollups).</summary>
public abstract class RequestRollupCounts
{
    public long ProjectId { get; set; }
    public long Requests { get; set; }
    /// <summary>Informational (1xx) and anything outside 100–599.</summary>
    public long StatusOther { get; set; }
    public long Status2xx { get; set; }
    public long Status3xx { get; set; }
    public long Status4xx { get; set; }
    public long Status5xx { get; set; }
    public long Browsers { get; set; }
    public long Bots { get; set; }
    public long OtherAgents { get; set; }
    public long BytesIn { get; set; }
    public long BytesOut { get; set; }
    public double DurationSumMs { get; set; }
    /// <summary>Request counts per <see cref="MiniPaas.Core.Analytics.LatencyHistogram"/> bucket.</summary>
    public long[] LatencyBuckets { get; set; } = [];
}

/// <summary>Requests of one project in one minute (kept for <c>MiniPaas:Retention:AnalyticsRollups</c>); short windows and range edges read these.</summary>
public sealed class RequestRollupRecord : RequestRollupCounts
{
    /// <summary>Start of the minute (UTC).</summary>
    public DateTimeOffset Minute { get; set; }
}

/// <summary>Requests of one project in one hour, the same sums as the minute rollups; whole hours of long windows read these (60× fewer rows).</summary>
public sealed class RequestHourlyRollupRecord : RequestRollupCounts
{
    /// <summary>Start of the hour (UTC).</summary>
    public DateTimeOffset Hour { get; set; }
}

/// <summary>A visitor id seen in a project during an hour; unique visitors per hour and day are counts of these.</summary>
public sealed class RequestVisitorRecord
{
    public long ProjectId { get; set; }
    /// <summary>Start of the hour (UTC).</summary>
    public DateTimeOffset Hour { get; set; }
    public long VisitorId { get; set; }
}
