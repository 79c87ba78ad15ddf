using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniPaas.Core.Analytics;
using MiniPaas.Tests.Shared;
using Npgsql;

namespace MiniPaas.Tests.Analytics;

/// <summary>Rollups, percentiles, visitors and retention against the real PostgreSQL, checked by brute force over the same synthetic rows.</summary>
public sealed class RequestStorageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 22, 0, 0, TimeSpan.Zero);
    private string _connectionString = null!;
    private AnalyticsDatabase _database = null!;
    private RequestEventWriter _writer = null!;
    private RequestAnalytics _analytics = null!;

    public async Task InitializeAsync()
    {
        var fixture = await PostgresFixture.GetAsync();
        var factory = (FixedDbContextFactory)await fixture.CreateMigratedContextFactoryAsync(nameof(RequestStorageTests));
        _connectionString = factory.ConnectionString;
        _database = AnalyticsDatabase.Fixed(_connectionString);
        _writer = new RequestEventWriter(_database);
        _analytics = new RequestAnalytics(_database);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Write_SyntheticBatches_SeriesTotalsAndPercentilesEqualBruteForce()
    {
        var rows = SyntheticRequests.Create(6_000, [1, 2], Start, TimeSpan.FromHours(4), seed: 42);
        await WriteInBatchesAsync(rows);
        var range = new TimeRange(Start, Start.AddHours(4));
        var width = TimeSpan.FromMinutes(15);

        var series = await _analytics.GetSeriesAsync(1, range, width);

        var project = rows.Where(r => r.ProjectId == 1).ToList();
        Assert.Equal(16, series.Points.Count);
        foreach (var point in series.Points)
        {
            var inBucket = project.Where(r => r.Timestamp >= point.Start && r.Timestamp < point.Start + width).ToList();
            Assert.Equal(inBucket.Count, point.Requests);
            Assert.Equal(inBucket.Count(r => r.Status is >= 200 and < 300), point.Status2xx);
            Assert.Equal(inBucket.Count(r => r.Status is >= 300 and < 400), point.Status3xx);
            Assert.Equal(inBucket.Count(r => r.Status is >= 400 and < 500), point.Status4xx);
            Assert.Equal(inBucket.Count(r => r.Status is >= 500 and < 600), point.Status5xx);
            Assert.Equal(inBucket.Count(r => r.Status is < 200 or >= 600), point.StatusOther);
            Assert.Equal(inBucket.Count(r => r.AgentClass == UserAgentClass.Bot), point.Bots);
            Assert.Equal(inBucket.Count(r => r.AgentClass == UserAgentClass.Browser), point.Browsers);
            Assert.Equal(BruteForcePercentile(inBucket, 0.50), point.P50);
            Assert.Equal(BruteForcePercentile(inBucket, 0.95), point.P95);
            Assert.Equal(BruteForcePercentile(inBucket, 0.99), point.P99);
        }

        var totals = await _analytics.GetTotalsAsync(1, range);
        Assert.Equal(project.Count, totals.Requests);
        Assert.Equal(project.Sum(r => r.BytesOut), totals.BytesOut);
        Assert.Equal(project.Sum(r => r.BytesIn), totals.BytesIn);
        Assert.Equal(BruteForcePercentile(project, 0.95), totals.P95);
        Assert.Equal(BruteForcePercentile(project, 0.99), totals.P99);
        Assert.Equal(project.Select(r => r.VisitorId).Distinct().Count(), totals.UniqueVisitors);
    }

    [Theory]
    [InlineData(0, 240, 60)]    // whole hours: hourly rollups for everything
    [InlineData(7, 193, 60)]    // ragged edges: minutes at both ends, hours inside
    [InlineData(7, 193, 5)]     // sub-hour buckets: minutes only
    [InlineData(20, 50, 60)]    // less than one whole hour
    public async Task Query_AnyRangeAndBucketWidth_EqualsBruteForce(int fromMinute, int toMinute, int widthMinutes)
    {
        var rows = SyntheticRequests.Create(3_000, [6], Start, TimeSpan.FromHours(4), seed: 5);
        await WriteInBatchesAsync(rows);
        var range = new TimeRange(Start.AddMinutes(fromMinute), Start.AddMinutes(toMinute));
        var width = TimeSpan.FromMinutes(widthMinutes);

        var series = await _analytics.GetSeriesAsync(6, range, width);
        var totals = await _analytics.GetTotalsAsync(6, range);

        // Rollups hold whole minutes: the range covers the minutes starting inside it.
        var inRange = rows.Where(r => MinuteRollup.MinuteOf(r.Timestamp) >= range.From && MinuteRollup.MinuteOf(r.Timestamp) < range.To).ToList();
        Assert.Equal(inRange.Count, totals.Requests);
        Assert.Equal(inRange.Count(r => r.Status is >= 500 and < 600), totals.Status5xx);
        Assert.Equal(BruteForcePercentile(inRange, 0.50), totals.P50);
        Assert.Equal(BruteForcePercentile(inRange, 0.99), totals.P99);
        Assert.Equal(inRange.Count, series.Points.Sum(p => p.Requests));
        foreach (var point in series.Points)
        {
            var inBucket = inRange.Where(r => r.Timestamp >= point.Start && r.Timestamp < point.Start + width).ToList();
            Assert.Equal(inBucket.Count, point.Requests);
            Assert.Equal(BruteForcePercentile(inBucket, 0.95), point.P95);
        }
    }

    [Fact]
    public async Task Percentile_FromBuckets_IsWithinOneBucketAboveTheExactValue()
    {
        var rows = SyntheticRequests.Create(3_000, [5], Start, TimeSpan.FromHours(1), seed: 7);
        await WriteInBatchesAsync(rows);

        var totals = await _analytics.GetTotalsAsync(5, new TimeRange(Start, Start.AddHours(1)));

        var sorted = rows.Select(r => (double)r.DurationMs).Order().ToArray();
        foreach (var (q, reported) in new[] { (0.50, totals.P50), (0.95, totals.P95), (0.99, totals.P99) })
        {
            var exact = sorted[(int)Math.Ceiling(q * sorted.Length) - 1];
            Assert.NotNull(reported);
            Assert.InRange(reported.Value, exact, Math.Max(exact * 1.25 + 0.001, 0.5));
        }
    }

    [Fact]
    public async Task Query_VisitorsPerDayTopPathsAndReferrers_EqualBruteForce()
    {
        // Spans midnight so two UTC days are counted.
        var rows = SyntheticRequests.Create(2_000, [3], Start, TimeSpan.FromHours(4), seed: 11);
        await WriteInBatchesAsync(rows);
        var range = new TimeRange(Start, Start.AddHours(4));

        var perDay = await _analytics.GetVisitorsPerDayAsync(3, range);
        var paths = await _analytics.GetTopPathsAsync(3, range, limit: 3);
        var referrers = await _analytics.GetTopReferrersAsync(3, range);

        var expectedDays = rows.GroupBy(r => DateOnly.FromDateTime(r.Timestamp.UtcDateTime))
            .Select(g => new DailyVisitors(g.Key, g.Select(r => r.VisitorId).Distinct().Count())).OrderBy(d => d.Day).ToList();
        Assert.Equal(2, expectedDays.Count);
        Assert.Equal(expectedDays, perDay);
        var expectedPaths = rows.GroupBy(r => r.Path).Select(g => new RankedCount(g.Key, g.Count()))
            .OrderByDescending(c => c.Requests).ThenBy(c => c.Name, StringComparer.Ordinal).Take(3).ToList();
        Assert.Equal(expectedPaths, paths);
        var expectedReferrers = rows.Where(r => r.ReferrerHost is not null).GroupBy(r => r.ReferrerHost!)
            .Select(g => new RankedCount(g.Key, g.Count())).OrderByDescending(c => c.Requests).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(expectedReferrers, referrers);
    }

    [Fact]
    public async Task Sweep_PastRetention_RemovesExactlyTheOldRows()
    {
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        // Rows from 100 days ago to now: raw older than 7 days and rollups/visitors older than 90 days must go.
        var rows = SyntheticRequests.Create(4_000, [4], now.AddDays(-100), TimeSpan.FromDays(100), seed: 3, firstSeq: 100_000);
        await WriteInBatchesAsync(rows);
        var time = new FakeTimeProvider(now);
        var retention = new AnalyticsRetention(_database, Options.Create(new AnalyticsRetentionOptions { AnalyticsDeleteBatch = 250 }), time,
            NullLogger<AnalyticsRetention>.Instance);

        var deleted = await retention.SweepAsync(CancellationToken.None);

        var rawCutoff = now.AddDays(-7);
        var rollupCutoff = now.AddDays(-90);
        Assert.Equal(rows.Count(r => r.Timestamp < rawCutoff), deleted["request_events"]);
        Assert.Equal(
            rows.Where(r => r.Timestamp >= rawCutoff).Select(r => r.Seq).Order().ToList(),
            await QueryLongsAsync("SELECT seq FROM request_events WHERE project_id = 4 ORDER BY seq"));
        Assert.Equal(
            rows.Where(r => r.Timestamp >= rollupCutoff).Select(r => MinuteRollup.MinuteOf(r.Timestamp)).Distinct().Count(),
            (await QueryLongsAsync("SELECT count(*) FROM request_rollups WHERE project_id = 4")).Single());
        Assert.Equal(0, (await QueryLongsAsync($"SELECT count(*) FROM request_rollups WHERE minute < '{rollupCutoff:O}'")).Single());
        Assert.Equal(
            rows.Where(r => r.Timestamp >= rollupCutoff).Select(r => MinuteRollup.HourOf(r.Timestamp)).Distinct().Count(),
            (await QueryLongsAsync("SELECT count(*) FROM request_rollups_hourly WHERE project_id = 4")).Single());
        Assert.Equal(
            rows.Where(r => r.Timestamp >= rollupCutoff).Select(r => (MinuteRollup.HourOf(r.Timestamp), r.VisitorId)).Distinct().Count(),
            (await QueryLongsAsync("SELECT count(*) FROM request_visitors WHERE project_id = 4")).Single());
        var again = await retention.SweepAsync(CancellationToken.None);
        Assert.All(again.Values, count => Assert.Equal(0, count));
    }

    internal static double? BruteForcePercentile(IReadOnlyCollection<RequestRow> rows, double quantile)
    {
        if (rows.Count == 0)
        {
            return null;
        }

        var sorted = rows.Select(r => (double)r.DurationMs).Order().ToArray();
        var value = sorted[Math.Max(1, (int)Math.Ceiling(quantile * sorted.Length)) - 1];
        return LatencyHistogram.BoundForDisplay(LatencyHistogram.BucketOf(value));
    }

    // Uneven batch sizes: tiny ones take the INSERT path, and minutes split across batches exercise the rollup upsert.
    private async Task WriteInBatchesAsync(List<RequestRow> rows)
    {
        var sizes = new[] { 5, 700, 13, 1_500, 1 };
        var index = 0;
        for (var i = 0; index < rows.Count; i++)
        {
            var size = Math.Min(sizes[i % sizes.Length], rows.Count - index);
            await _writer.WriteAsync(rows.GetRange(index, size), copyThreshold: 32, CancellationToken.None);
            index += size;
        }
    }

    private async Task<List<long>> QueryLongsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<long>();
        while (await reader.ReadAsync())
        {
            result.Add(reader.GetInt64(0));
        }

        return result;
    }
}
