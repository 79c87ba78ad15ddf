using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniPaas.Core.Analytics;
using MiniPaas.Tests.Shared;
using Npgsql;

namespace MiniPaas.Tests.Analytics;

/// <summary>
/// Unique visitors over windows of any length (hourly sets inside a day, daily sets with first/last hour beyond), the daily
/// sets' contents, the seq high-water mark and the daily sets' retention — against the real PostgreSQL, checked by brute force.
/// Visitor ids recur across hours and days, so a count that added per-day numbers or missed a partial day would differ.
/// </summary>
public sealed class VisitorSetTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    private string _connectionString = null!;
    private AnalyticsDatabase _database = null!;
    private RequestEventWriter _writer = null!;
    private RequestAnalytics _analytics = null!;

    public async Task InitializeAsync()
    {
        var fixture = await PostgresFixture.GetAsync();
        var factory = (FixedDbContextFactory)await fixture.CreateMigratedContextFactoryAsync(nameof(VisitorSetTests));
        _connectionString = factory.ConnectionString;
        _database = AnalyticsDatabase.Fixed(_connectionString);
        _writer = new RequestEventWriter(_database);
        _analytics = new RequestAnalytics(_database);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData(0, 4320, 11)]       // three whole days
    [InlineData(307, 3200, 12)]     // partial first day, one whole day, partial last day, ragged minutes
    [InlineData(1410, 1470, 13)]    // an hour around midnight: two partial days
    [InlineData(1440, 2880, 14)]    // exactly one day: the hourly sets
    [InlineData(120, 1215, 15)]     // inside one day, visitors seen before and after it too: the hourly sets
    [InlineData(2900, 4319, 16)]    // to the last minute of the data
    public async Task UniqueVisitors_AnyWindow_EqualBruteForce(int fromMinute, int toMinute, long project)
    {
        var rows = SyntheticRequests.Create(6_000, [project], Midnight, TimeSpan.FromDays(3), seed: (int)project, firstSeq: project * 100_000, visitors: 3_000);
        await WriteInBatchesAsync(rows);
        var range = new TimeRange(Midnight.AddMinutes(fromMinute), Midnight.AddMinutes(toMinute));

        var totals = await _analytics.GetTotalsAsync(project, range);
        var perDay = await _analytics.GetVisitorsPerDayAsync(project, range);

        // Visitor sets hold whole hours: the window counts every hour it overlaps.
        var inWindow = rows.Where(r => MinuteRollup.HourOf(r.Timestamp) >= MinuteRollup.HourOf(range.From) && MinuteRollup.HourOf(r.Timestamp) < range.To).ToList();
        Assert.Equal(inWindow.Select(r => r.VisitorId).Distinct().Count(), totals.UniqueVisitors);
        var expectedDays = inWindow.GroupBy(r => VisitorSetWriter.DayOf(r.Timestamp))
            .Select(g => new DailyVisitors(g.Key, g.Select(r => r.VisitorId).Distinct().Count())).OrderBy(d => d.Day).ToList();
        Assert.Equal(expectedDays, perDay);
    }

    [Fact]
    public async Task UniqueVisitors_WindowOverDays_ReadOnlyTheDailySets()
    {
        var rows = SyntheticRequests.Create(3_000, [21], Midnight, TimeSpan.FromDays(3), seed: 21, firstSeq: 2_100_000, visitors: 2_000);
        await WriteInBatchesAsync(rows);
        var range = new TimeRange(Midnight.AddHours(5.5), Midnight.AddHours(61.25));
        await ExecuteAsync("DELETE FROM request_visitors WHERE project_id = 21");

        var totals = await _analytics.GetTotalsAsync(21, range);
        var perDay = await _analytics.GetVisitorsPerDayAsync(21, range);

        // The hourly sets are gone, yet the partial first and last days are still counted exactly.
        var inWindow = rows.Where(r => MinuteRollup.HourOf(r.Timestamp) >= MinuteRollup.HourOf(range.From) && MinuteRollup.HourOf(r.Timestamp) < range.To).ToList();
        Assert.Equal(inWindow.Select(r => r.VisitorId).Distinct().Count(), totals.UniqueVisitors);
        Assert.Equal(3, perDay.Count);
        Assert.True(perDay.Sum(d => d.Visitors) > totals.UniqueVisitors, "visitors recur across days, so days must not simply add up");
        Assert.Equal(
            inWindow.GroupBy(r => VisitorSetWriter.DayOf(r.Timestamp)).Select(g => g.Select(r => r.VisitorId).Distinct().LongCount()).ToList(),
            perDay.Select(d => d.Visitors).ToList());
    }

    [Fact]
    public async Task Write_UnevenBatches_DailySetsHoldFirstAndLastHourAndHighWaterTheLastSeq()
    {
        var rows = SyntheticRequests.Create(2_500, [31, 32], Midnight.AddHours(20), TimeSpan.FromHours(30), seed: 31, firstSeq: 9_100_000, visitors: 400);
        await WriteInBatchesAsync(rows);

        var expected = rows
            .GroupBy(r => (r.ProjectId, Day: VisitorSetWriter.DayOf(r.Timestamp), r.VisitorId))
            .Select(g => $"{g.Key.ProjectId}|{g.Key.Day:yyyy-MM-dd}|{g.Key.VisitorId}|{MinuteRollup.HourOf(g.Min(r => r.Timestamp)):HH}|{MinuteRollup.HourOf(g.Max(r => r.Timestamp)):HH}")
            .Order(StringComparer.Ordinal).ToList();
        var stored = await QueryStringsAsync("""
            SELECT project_id || '|' || to_char(day, 'YYYY-MM-DD') || '|' || visitor_id || '|'
                   || to_char(first_hour AT TIME ZONE 'UTC', 'HH24') || '|' || to_char(last_hour AT TIME ZONE 'UTC', 'HH24')
            FROM request_visitors_daily WHERE project_id IN (31, 32)
            """);
        Assert.Equal(expected, stored.Order(StringComparer.Ordinal).ToList());
        Assert.Equal([(rows[^1].Seq).ToString(System.Globalization.CultureInfo.InvariantCulture)], await QueryStringsAsync("SELECT last_seq::text FROM request_events_high_water"));

        // The ingestor's "already stored?" probe finds a stored batch by its first row, and not a row never written.
        Assert.True(await _writer.IsStoredAsync(rows[700], CancellationToken.None));
        Assert.False(await _writer.IsStoredAsync(rows[700] with { Seq = 99_999_999 }, CancellationToken.None));
    }

    [Fact]
    public async Task Sweep_PastRetention_RemovesWholeDaysOfDailySetsOnly()
    {
        var now = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var rows = SyntheticRequests.Create(3_000, [41], now.AddDays(-95), TimeSpan.FromDays(95), seed: 41, firstSeq: 4_100_000, visitors: 300);
        await WriteInBatchesAsync(rows);
        var retention = new AnalyticsRetention(_database, Options.Create(new AnalyticsRetentionOptions { AnalyticsDeleteBatch = 100 }),
            new FakeTimeProvider(now), NullLogger<AnalyticsRetention>.Instance);

        var deleted = await retention.SweepAsync(CancellationToken.None);

        // The cutoff falls at noon: that day still answers for its later hours and stays whole.
        var cutoffDay = VisitorSetWriter.DayOf(now.AddDays(-90));
        var all = rows.Select(r => (Day: VisitorSetWriter.DayOf(r.Timestamp), r.VisitorId)).Distinct().ToList();
        Assert.Equal(all.Count(v => v.Day < cutoffDay), deleted["request_visitors_daily"]);
        Assert.Equal(
            all.Count(v => v.Day >= cutoffDay),
            long.Parse((await QueryStringsAsync("SELECT count(*)::text FROM request_visitors_daily WHERE project_id = 41")).Single(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([cutoffDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)],
            await QueryStringsAsync("SELECT to_char(min(day), 'YYYY-MM-DD') FROM request_visitors_daily WHERE project_id = 41"));
        Assert.Equal(0, (await retention.SweepAsync(CancellationToken.None))["request_visitors_daily"]);
    }

    // Uneven batch sizes: tiny ones take the INSERT path, and visitors split across batches exercise the daily upsert.
    private async Task WriteInBatchesAsync(List<RequestRow> rows)
    {
        var sizes = new[] { 3, 900, 17, 1_200, 1 };
        var index = 0;
        for (var i = 0; index < rows.Count; i++)
        {
            var size = Math.Min(sizes[i % sizes.Length], rows.Count - index);
            await _writer.WriteAsync(rows.GetRange(index, size), copyThreshold: 32, CancellationToken.None);
            index += size;
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> QueryStringsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<string>();
        while (await reader.ReadAsync())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }
}
