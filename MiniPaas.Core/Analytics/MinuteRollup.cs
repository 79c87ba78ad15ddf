namespace MiniPaas.Core.Analytics;

/// <summary>
/// The requests of one project in one minute (or hour), summed: what a batch adds to <c>request_rollups</c> and
/// <c>request_rollups_hourly</c>, and (per minute) what the live feed tells open pages.
/// </summary>
public sealed class MinuteRollup(long projectId, DateTimeOffset minute)
{
    public long ProjectId { get; } = projectId;

    /// <summary>Start of the minute (UTC), or of the hour for hourly sums.</summary>
    public DateTimeOffset Minute { get; } = minute;

    public long Requests { get; private set; }
    public long StatusOther { get; private set; }
    public long Status2xx { get; private set; }
    public long Status3xx { get; private set; }
    public long Status4xx { get; private set; }
    public long Status5xx { get; private set; }
    public long Browsers { get; private set; }
    public long Bots { get; private set; }
    public long OtherAgents { get; private set; }
    public long BytesIn { get; private set; }
    public long BytesOut { get; private set; }
    public double DurationSumMs { get; private set; }

    /// <summary>Counts per <see cref="LatencyHistogram"/> bucket.</summary>
    public long[] LatencyBuckets { get; } = new long[LatencyHistogram.BucketCount];

    /// <summary>Start of the minute holding <paramref name="at"/>.</summary>
    public static DateTimeOffset MinuteOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    /// <summary>Start of the hour holding <paramref name="at"/>.</summary>
    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerHour), TimeSpan.Zero);
    }

    /// <summary>Sums rows into one rollup per (project, minute), in time order.</summary>
    public static IReadOnlyList<MinuteRollup> Summarize(IEnumerable<RequestRow> rows) => Summarize(rows, MinuteOf);

    /// <summary>Sums rows into one rollup per (project, period start given by <paramref name="periodOf"/>), in time order.</summary>
    public static IReadOnlyList<MinuteRollup> Summarize(IEnumerable<RequestRow> rows, Func<DateTimeOffset, DateTimeOffset> periodOf)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(periodOf);
        var byKey = new Dictionary<(long, DateTimeOffset), MinuteRollup>();
        foreach (var row in rows)
        {
            var key = (row.ProjectId, periodOf(row.Timestamp));
            if (!byKey.TryGetValue(key, out var rollup))
            {
                rollup = new MinuteRollup(key.ProjectId, key.Item2);
                byKey.Add(key, rollup);
            }

            rollup.Add(row);
        }

        return [.. byKey.Values.OrderBy(r => r.Minute).ThenBy(r => r.ProjectId)];
    }

    public void Add(RequestRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Requests++;
        switch (row.Status / 100)
        {
            case 2: Status2xx++; break;
            case 3: Status3xx++; break;
            case 4: Status4xx++; break;
            case 5: Status5xx++; break;
            default: StatusOther++; break;
        }

        switch (row.AgentClass)
        {
            case UserAgentClass.Browser: Browsers++; break;
            case UserAgentClass.Bot: Bots++; break;
            default: OtherAgents++; break;
        }

        BytesIn += row.BytesIn;
        BytesOut += row.BytesOut;
        DurationSumMs += row.DurationMs;
        LatencyBuckets[LatencyHistogram.BucketOf(row.DurationMs)]++;
    }
}
