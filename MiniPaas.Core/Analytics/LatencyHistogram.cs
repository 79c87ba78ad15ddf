namespace MiniPaas.Core.Analytics;

/// <summary>
/// Fixed latency buckets shared by the ingestor (rollup counts) and the queries (percentiles). Bucket <c>i</c> holds
/// durations in (<c>UpperBounds[i-1]</c>, <c>UpperBounds[i]</c>] milliseconds; the last one is open-ended. Bounds grow by
/// 25 %, so a percentile read from the buckets is at most 25 % above the true value.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Upper bounds in milliseconds; the last is <see cref="double.PositiveInfinity"/>.</summary>
    public static IReadOnlyList<double> UpperBounds { get; } = CreateBounds();

    public static int BucketCount => UpperBounds.Count;

    private static readonly double[] Bounds = [.. UpperBounds];

    /// <summary>The bucket a duration falls in.</summary>
    public static int BucketOf(double durationMs)
    {
        // Bounds are few (≈ 55) and sorted: a binary search for the first bound ≥ the value.
        var index = Array.BinarySearch(Bounds, durationMs);
        return index >= 0 ? index : ~index;
    }

    /// <summary>
    /// The <paramref name="quantile"/> (0–1) of the counted durations, reported as the upper bound of the bucket that holds
    /// the value of rank ⌈q·n⌉ (the last finite bound for the open bucket); null when nothing was counted.
    /// </summary>
    public static double? Percentile(ReadOnlySpan<long> counts, double quantile)
    {
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return BoundForDisplay(i);
            }
        }

        return BoundForDisplay(counts.Length - 1);
    }

    /// <summary>The value reported for bucket <paramref name="index"/>: its upper bound, or the last finite bound for the open bucket.</summary>
    public static double BoundForDisplay(int index) =>
        double.IsPositiveInfinity(Bounds[index]) ? Bounds[^2] : Bounds[index];

    private static double[] CreateBounds()
    {
        var bounds = new List<double>();
        for (var bound = 0.5; bound < 120_000; bound *= 1.25)
        {
            bounds.Add(Math.Round(bound, 3));
        }

        bounds.Add(double.PositiveInfinity);
        return [.. bounds];
    }
}
