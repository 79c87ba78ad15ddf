using System.Diagnostics;
using MiniPaas.Core.Analytics;
using Npgsql;
using NpgsqlTypes;

namespace MiniPaas.Benchmarks.Analytics;

/// <summary>One timed query of the analytics page for a window ("charts": the series; "totals + unique visitors"), from rollups or raw events.</summary>
public sealed record QueryTiming(string Window, string Query, string Source, IReadOnlyList<double> Milliseconds);

/// <summary>
/// The analytics page's chart queries (series with status classes and p50/p95/p99, plus totals with unique visitors) over
/// N generated events, answered from the rollups (what MiniPaas does) and from the raw events (the baseline).
/// </summary>
public static class ChartQueryBench
{
    private const int Chunk = 50_000;

    private const string RawSeries = """
        SELECT date_bin(@width, timestamp, @origin) AS b, count(*),
               count(*) FILTER (WHERE status BETWEEN 200 AND 299), count(*) FILTER (WHERE status BETWEEN 300 AND 399),
               count(*) FILTER (WHERE status BETWEEN 400 AND 499), count(*) FILTER (WHERE status BETWEEN 500 AND 599),
               count(*) FILTER (WHERE agent_class = 1), count(*) FILTER (WHERE agent_class = 2),
               percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_ms)
        FROM request_events WHERE project_id = @project AND timestamp >= @from AND timestamp < @to
        GROUP BY b ORDER BY b
        """;

    private const string RawTotals = """
        SELECT count(*), count(*) FILTER (WHERE status BETWEEN 500 AND 599), count(*) FILTER (WHERE agent_class = 2),
               sum(bytes_out), count(DISTINCT visitor_id),
               percentile_disc(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_ms)
        FROM request_events WHERE project_id = @project AND timestamp >= @from AND timestamp < @to
        """;

    /// <summary>Generates <paramref name="events"/> rows over the 7 days before <paramref name="now"/> with COPY, plus their rollups and hourly and daily visitor sets.</summary>
    public static async Task<TimeSpan> GenerateAsync(string connectionString, int events, DateTimeOffset now, Action<string> log, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var from = now.AddDays(-7);
        var random = new Random(7);
        var rollups = new Dictionary<DateTimeOffset, MinuteRollup>();
        var hourly = new Dictionary<DateTimeOffset, MinuteRollup>();
        var visitors = new HashSet<(DateTimeOffset Hour, long Visitor)>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        for (long done = 0; done < events; done += Chunk)
        {
            var rows = BenchRows.Chunk(done, (int)Math.Min(Chunk, events - done), events, 1, from, TimeSpan.FromDays(7), random);
            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                await RequestEventWriter.CopyRowsAsync(connection, rows, ct);
                await transaction.CommitAsync(ct);
            }

            foreach (var row in rows)
            {
                var minute = MinuteRollup.MinuteOf(row.Timestamp);
                if (!rollups.TryGetValue(minute, out var rollup))
                {
                    rollups[minute] = rollup = new MinuteRollup(1, minute);
                }

                rollup.Add(row);
                var hour = MinuteRollup.HourOf(row.Timestamp);
                if (!hourly.TryGetValue(hour, out var hourRollup))
                {
                    hourly[hour] = hourRollup = new MinuteRollup(1, hour);
                }

                hourRollup.Add(row);
                visitors.Add((MinuteRollup.HourOf(row.Timestamp), row.VisitorId));
            }

            if (done % 1_000_000 == 0)
            {
                log($"  generated {done + rows.Count:N0} events ({clock.Elapsed.TotalSeconds:F0} s)");
            }
        }

        foreach (var chunk in rollups.Values.OrderBy(r => r.Minute).Chunk(2_000))
        {
            await RequestEventWriter.UpsertRollupsAsync(connection, chunk, ct);
        }

        foreach (var chunk in hourly.Values.OrderBy(r => r.Minute).Chunk(2_000))
        {
            await RequestEventWriter.UpsertRollupsAsync(connection, chunk, ct, hourly: true);
        }

        await using (var importer = await connection.BeginBinaryImportAsync("COPY request_visitors (project_id, hour, visitor_id) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (hour, visitor) in visitors)
            {
                await importer.StartRowAsync(ct);
                await importer.WriteAsync(1L, NpgsqlDbType.Bigint, ct);
                await importer.WriteAsync(hour, NpgsqlDbType.TimestampTz, ct);
                await importer.WriteAsync(visitor, NpgsqlDbType.Bigint, ct);
            }

            await importer.CompleteAsync(ct);
        }

        // The daily visitor sets exactly as the ingestor keeps them (first and last hour of each visitor per day).
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY request_visitors_daily (project_id, day, visitor_id, first_hour, last_hour) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var daily in VisitorSetWriter.Daily(visitors.Select(v => (1L, v.Hour, v.Visitor))))
            {
                await importer.StartRowAsync(ct);
                await importer.WriteAsync(daily.ProjectId, NpgsqlDbType.Bigint, ct);
                await importer.WriteAsync(daily.Day, NpgsqlDbType.Date, ct);
                await importer.WriteAsync(daily.VisitorId, NpgsqlDbType.Bigint, ct);
                await importer.WriteAsync(daily.FirstHour, NpgsqlDbType.TimestampTz, ct);
                await importer.WriteAsync(daily.LastHour, NpgsqlDbType.TimestampTz, ct);
            }

            await importer.CompleteAsync(ct);
        }

        foreach (var table in new[] { "request_events", "request_rollups", "request_rollups_hourly", "request_visitors", "request_visitors_daily" })
        {
            // VACUUM refuses to run inside a multi-statement batch: one command per table.
            await using var analyze = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection);
            await analyze.ExecuteNonQueryAsync(ct);
        }

        return clock.Elapsed;
    }

    public static async Task<IReadOnlyList<QueryTiming>> MeasureAsync(string connectionString, DateTimeOffset now, AnalyticsBenchOptions options, CancellationToken ct)
    {
        var analytics = new RequestAnalytics(AnalyticsDatabase.Fixed(connectionString));
        var results = new List<QueryTiming>();
        foreach (var (window, length) in new[] { ("24 h", TimeSpan.FromHours(24)), ("7 d", TimeSpan.FromDays(7)) })
        {
            var range = TimeRange.Last(length, now);
            var width = RequestAnalytics.BucketWidthFor(range);

            // One untimed run each: plans cached, pages in the buffer cache for both sources alike.
            await SeriesFromRollupsAsync();
            await RawAsync(RawSeries);
            results.Add(new QueryTiming(window, "charts", "rollups", await RepeatAsync(options.RollupRepetitions, SeriesFromRollupsAsync)));
            results.Add(new QueryTiming(window, "charts", "raw events", await RepeatAsync(options.RawRepetitions, () => RawAsync(RawSeries))));
            await TotalsFromRollupsAsync();
            await RawAsync(RawTotals);
            results.Add(new QueryTiming(window, "totals + unique visitors", "rollups", await RepeatAsync(options.RollupRepetitions, TotalsFromRollupsAsync)));
            results.Add(new QueryTiming(window, "totals + unique visitors", "raw events", await RepeatAsync(options.RawRepetitions, () => RawAsync(RawTotals))));

            Task SeriesFromRollupsAsync() => analytics.GetSeriesAsync(1, range, width, ct);

            Task TotalsFromRollupsAsync() => analytics.GetTotalsAsync(1, range, ct);

            async Task RawAsync(string sql)
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                {
                    await using var command = new NpgsqlCommand(sql, connection);
                    command.Parameters.AddWithValue("project", 1L);
                    command.Parameters.AddWithValue("from", range.From);
                    command.Parameters.AddWithValue("to", range.To);
                    command.Parameters.AddWithValue("width", width);
                    command.Parameters.AddWithValue("origin", new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    while (await reader.ReadAsync(ct))
                    {
                    }
                }
            }
        }

        return results;
    }

    private static async Task<IReadOnlyList<double>> RepeatAsync(int times, Func<Task> run)
    {
        var samples = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        return samples;
    }
}
