namespace MiniPaas.Core.Analytics.Stats;

/// <summary>Aggregated readings of one container within one time bucket (sums, so buckets merge exactly).</summary>
public sealed record StatsBucket(
    DateTimeOffset Start,
    string ContainerId,
    double CpuSum,
    int CpuCount,
    double MemorySum,
    int MemoryCount,
    long? MemoryLimitBytes);

/// <summary>One point of a project's resource chart: CPU and memory summed over its containers, averaged within the bucket.</summary>
public sealed record ResourcePoint(DateTimeOffset Time, double? CpuPercent, double MemoryUsedBytes, long? MemoryLimitBytes);

/// <summary>
/// A project's CPU and memory over time in fixed-width buckets. Loaded from history (<see cref="StatsBucket"/>s computed by the
/// database) and extended by live samples; live samples whose <see cref="ContainerStatsSample.Seq"/> the history already
/// covered are ignored, so nothing counts twice. Not thread-safe: one owner (a chart) adds and reads under its own lock.
/// </summary>
public sealed class ResourceSeries
{
    private readonly SortedDictionary<DateTimeOffset, Dictionary<string, Accumulator>> _buckets = [];

    public ResourceSeries(TimeSpan bucketWidth, long historySeq)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucketWidth, TimeSpan.Zero);
        BucketWidth = bucketWidth;
        HistorySeq = historySeq;
    }

    /// <summary>Width of every bucket.</summary>
    public TimeSpan BucketWidth { get; }

    /// <summary>Highest sample id the history included; live samples at or below it are already counted.</summary>
    public long HistorySeq { get; }

    /// <summary>Number of buckets holding data.</summary>
    public int Count => _buckets.Count;

    /// <summary>The start of the bucket holding <paramref name="time"/> (buckets are aligned on the Unix epoch, like the database's <c>date_bin</c>).</summary>
    public static DateTimeOffset BucketStart(DateTimeOffset time, TimeSpan width)
    {
        var ticks = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / width.Ticks * width.Ticks;
        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + ticks, TimeSpan.Zero);
    }

    /// <summary>
    /// A bucket width that gives at most about <paramref name="maxPoints"/> points over <paramref name="range"/>, never finer
    /// than <paramref name="sampleInterval"/>, picked from round steps so labels and buckets line up.
    /// </summary>
    public static TimeSpan WidthFor(TimeSpan range, TimeSpan sampleInterval, int maxPoints = 120)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        var wanted = TimeSpan.FromTicks(Math.Max(range.Ticks / maxPoints, sampleInterval.Ticks));
        foreach (var step in Steps)
        {
            if (step >= wanted)
            {
                return step;
            }
        }

        return TimeSpan.FromDays(Math.Ceiling(wanted.TotalDays));
    }

    private static readonly TimeSpan[] Steps =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2),
        TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1),
    ];

    /// <summary>Adds a bucket loaded from history.</summary>
    public void AddBucket(StatsBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        var accumulator = AccumulatorFor(bucket.Start, bucket.ContainerId);
        accumulator.CpuSum += bucket.CpuSum;
        accumulator.CpuCount += bucket.CpuCount;
        accumulator.MemorySum += bucket.MemorySum;
        accumulator.MemoryCount += bucket.MemoryCount;
        accumulator.Limit = Max(accumulator.Limit, bucket.MemoryLimitBytes);
    }

    /// <summary>Adds a live sample; false when history already counted it.</summary>
    public bool Add(ContainerStatsSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Seq <= HistorySeq)
        {
            return false;
        }

        var accumulator = AccumulatorFor(BucketStart(sample.Timestamp, BucketWidth), sample.ContainerId);
        if (sample.CpuPercent is { } cpu)
        {
            accumulator.CpuSum += cpu;
            accumulator.CpuCount++;
        }

        accumulator.MemorySum += sample.MemoryUsedBytes;
        accumulator.MemoryCount++;
        accumulator.Limit = Max(accumulator.Limit, sample.MemoryLimitBytes);
        return true;
    }

    /// <summary>Drops buckets that start before <paramref name="from"/> (a sliding window moving on).</summary>
    public void DropBefore(DateTimeOffset from)
    {
        var first = BucketStart(from, BucketWidth);
        foreach (var key in _buckets.Keys.TakeWhile(k => k < first).ToList())
        {
            _buckets.Remove(key);
        }
    }

    /// <summary>The points in time order: per bucket, each container's average, summed over containers.</summary>
    public IReadOnlyList<ResourcePoint> Points()
    {
        var points = new List<ResourcePoint>(_buckets.Count);
        foreach (var (start, containers) in _buckets)
        {
            double? cpu = null;
            double memory = 0;
            long? limit = null;
            foreach (var a in containers.Values)
            {
                if (a.CpuCount > 0)
                {
                    cpu = (cpu ?? 0) + (a.CpuSum / a.CpuCount);
                }

                if (a.MemoryCount > 0)
                {
                    memory += a.MemorySum / a.MemoryCount;
                }

                limit = Max(limit, a.Limit);
            }

            points.Add(new ResourcePoint(start, cpu, memory, limit));
        }

        return points;
    }

    private Accumulator AccumulatorFor(DateTimeOffset start, string containerId)
    {
        if (!_buckets.TryGetValue(start, out var containers))
        {
            containers = _buckets[start] = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        }

        if (!containers.TryGetValue(containerId, out var accumulator))
        {
            accumulator = containers[containerId] = new Accumulator();
        }

        return accumulator;
    }

    private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private sealed class Accumulator
    {
        public double CpuSum { get; set; }
        public int CpuCount { get; set; }
        public double MemorySum { get; set; }
        public int MemoryCount { get; set; }
        public long? Limit { get; set; }
    }
}
