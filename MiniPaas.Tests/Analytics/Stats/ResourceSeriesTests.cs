using MiniPaas.Core.Analytics.Stats;

namespace MiniPaas.Tests.Analytics.Stats;

public sealed class ResourceSeriesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    private static ContainerStatsSample Sample(long seq, string container, DateTimeOffset at, double? cpu, long memory, long? limit = 256) =>
        new(seq, 1, 1, container, at, cpu, memory, limit, null, null, 0, 0);

    [Fact]
    public void Points_TwoContainersInOneBucket_AverageEachThenSum()
    {
        var series = new ResourceSeries(TimeSpan.FromMinutes(1), historySeq: 0);
        series.Add(Sample(1, "a", T0, 10, 100));
        series.Add(Sample(2, "a", T0.AddSeconds(30), 30, 200));
        series.Add(Sample(3, "b", T0.AddSeconds(20), 50, 1000, limit: 512));

        var point = Assert.Single(series.Points());

        Assert.Equal(T0, point.Time);
        Assert.Equal(20 + 50, point.CpuPercent);
        Assert.Equal(150 + 1000, point.MemoryUsedBytes);
        Assert.Equal(512, point.MemoryLimitBytes);
    }

    [Fact]
    public void Add_SampleAlreadyInHistory_IsIgnored()
    {
        var series = new ResourceSeries(TimeSpan.FromMinutes(1), historySeq: 7);
        series.AddBucket(new StatsBucket(T0, "a", CpuSum: 40, CpuCount: 2, MemorySum: 300, MemoryCount: 2, MemoryLimitBytes: 256));

        Assert.False(series.Add(Sample(7, "a", T0.AddSeconds(10), 90, 9_000)));
        Assert.True(series.Add(Sample(8, "a", T0.AddSeconds(20), 50, 450)));

        var point = Assert.Single(series.Points());
        Assert.Equal((40 + 50) / 3d, point.CpuPercent!.Value, precision: 9);
        Assert.Equal((300 + 450) / 3d, point.MemoryUsedBytes, precision: 9);
    }

    [Fact]
    public void Points_FirstReadingWithoutCpu_LeavesCpuEmptyButKeepsMemory()
    {
        var series = new ResourceSeries(TimeSpan.FromSeconds(10), historySeq: 0);
        series.Add(Sample(1, "a", T0, null, 100));

        var point = Assert.Single(series.Points());
        Assert.Null(point.CpuPercent);
        Assert.Equal(100, point.MemoryUsedBytes);
    }

    [Fact]
    public void DropBefore_SlidingWindow_RemovesOlderBucketsOnly()
    {
        var series = new ResourceSeries(TimeSpan.FromMinutes(1), historySeq: 0);
        series.Add(Sample(1, "a", T0, 1, 1));
        series.Add(Sample(2, "a", T0.AddMinutes(1), 2, 2));
        series.Add(Sample(3, "a", T0.AddMinutes(2), 3, 3));

        series.DropBefore(T0.AddMinutes(1).AddSeconds(30));

        Assert.Equal([T0.AddMinutes(1), T0.AddMinutes(2)], series.Points().Select(p => p.Time));
    }

    [Theory]
    [InlineData(3600, 10, 30)] // 1 h → 30 s buckets (120 points)
    [InlineData(600, 10, 10)] // 10 min would want 5 s, but samples come every 10 s
    [InlineData(86400, 10, 900)] // 24 h → 15 min
    [InlineData(604800, 10, 7200)] // 7 d → 2 h
    [InlineData(2592000, 10, 21600)] // 30 d → 6 h
    public void WidthFor_Range_PicksRoundStepWithinPointBudget(int rangeSeconds, int intervalSeconds, int expectedSeconds)
    {
        var width = ResourceSeries.WidthFor(TimeSpan.FromSeconds(rangeSeconds), TimeSpan.FromSeconds(intervalSeconds));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), width);
    }

    [Fact]
    public void BucketStart_AlignsOnEpochLikeDateBin()
    {
        Assert.Equal(T0.AddMinutes(15), ResourceSeries.BucketStart(T0.AddMinutes(29).AddSeconds(59), TimeSpan.FromMinutes(15)));
    }
}
