namespace MiniPaas.Core.Analytics;

/// <summary>A half-open time range [<see cref="From"/>, <see cref="To"/>).</summary>
public sealed record TimeRange(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The last <paramref name="length"/> up to <paramref name="now"/>.</summary>
    public static TimeRange Last(TimeSpan length, DateTimeOffset now) => new(now - length, now);

    public TimeSpan Length => To - From;
}

/// <summary>Request counts of one time bucket, with latency percentiles (ms, null when the bucket has no requests).</summary>
public sealed record RequestPoint(
    DateTimeOffset Start,
    long Requests,
    long Status2xx,
    long Status3xx,
    long Status4xx,
    long Status5xx,
    long StatusOther,
    long Browsers,
    long Bots,
    long OtherAgents,
    double? P50,
    double? P95,
    double? P99);

/// <summary>Requests over a range, one <see cref="RequestPoint"/> per <see cref="BucketWidth"/> (empty buckets included).</summary>
public sealed record RequestSeries(TimeSpan BucketWidth, IReadOnlyList<RequestPoint> Points);

/// <summary>Everything counted over a range.</summary>
public sealed record RequestTotals(
    long Requests,
    long Status2xx,
    long Status3xx,
    long Status4xx,
    long Status5xx,
    long StatusOther,
    long Browsers,
    long Bots,
    long OtherAgents,
    long BytesIn,
    long BytesOut,
    long UniqueVisitors,
    double? P50,
    double? P95,
    double? P99)
{
    public static RequestTotals Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null);
}

/// <summary>Distinct visitors of one UTC day.</summary>
public sealed record DailyVisitors(DateOnly Day, long Visitors);

/// <summary>A path or referrer host and how many requests it had.</summary>
public sealed record RankedCount(string Name, long Requests);
