using Npgsql;

namespace MiniPaas.Core.Analytics;

/// <summary>
/// Read side of request analytics, independent of any UI (the dashboard and the REST API both use it). Charts and totals
/// come from the per-minute and per-hour rollups and the hourly and daily visitor sets; top paths and referrers from raw
/// events (so they cover at most <c>MiniPaas:Retention:AnalyticsRaw</c>).
/// </summary>
public sealed class RequestAnalytics(AnalyticsDatabase database)
{
    private static readonly TimeSpan[] Widths =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12), TimeSpan.FromDays(1),
    ];

    private const string Columns =
        "requests, status_other, status2xx, status3xx, status4xx, status5xx, browsers, bots, other_agents, bytes_in, bytes_out, latency_buckets";

    // The rollups of [@from, @to): whole hours [@inner_from, @inner_to) from the hourly table, the edges from the minute
    // table (both empty-safe: @inner_from = @inner_to = @from means minutes only). Exact, and 60× fewer rows on long windows.
    private const string Rollups = $"""
        (SELECT hour AS minute, {Columns} FROM request_rollups_hourly
         WHERE project_id = @project AND hour >= @inner_from AND hour < @inner_to
         UNION ALL
         SELECT minute, {Columns} FROM request_rollups
         WHERE project_id = @project AND minute >= @from AND minute < @to AND (minute < @inner_from OR minute >= @inner_to)) AS r
        """;

    // Buckets are aligned to this origin, so the same instant always falls in the same bucket whatever the range.
    private static readonly DateTimeOffset Origin = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The smallest standard bucket width that keeps the series at about 120 points or fewer.</summary>
    public static TimeSpan BucketWidthFor(TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        foreach (var width in Widths)
        {
            if (range.Length.Ticks / width.Ticks <= 120)
            {
                return width;
            }
        }

        return Widths[^1];
    }

    /// <summary>Start of the bucket of <paramref name="width"/> holding <paramref name="at"/>.</summary>
    public static DateTimeOffset BucketStart(DateTimeOffset at, TimeSpan width)
    {
        var offset = (at - Origin).Ticks;
        return Origin + TimeSpan.FromTicks(offset - (((offset % width.Ticks) + width.Ticks) % width.Ticks));
    }

    /// <summary>Requests, status classes, agent classes and latency percentiles per bucket over <paramref name="range"/>.</summary>
    public async Task<RequestSeries> GetSeriesAsync(long projectId, TimeRange range, TimeSpan? bucketWidth = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        var width = bucketWidth ?? BucketWidthFor(range);
        var counts = new Dictionary<DateTimeOffset, long[]>();
        var histograms = new Dictionary<DateTimeOffset, long[]>();
        var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            const string countsSql = $"""
                SELECT date_bin(@width, minute, @origin) AS b, sum(requests)::bigint, sum(status2xx)::bigint, sum(status3xx)::bigint,
                       sum(status4xx)::bigint, sum(status5xx)::bigint, sum(status_other)::bigint, sum(browsers)::bigint,
                       sum(bots)::bigint, sum(other_agents)::bigint
                FROM {Rollups}
                GROUP BY b
                """;
            await foreach (var row in QueryAsync(connection, countsSql, projectId, range, width, 10, ct).ConfigureAwait(false))
            {
                counts[row.Start] = row.Values;
            }

            await foreach (var (start, histogram) in ReadHistogramsAsync(connection, projectId, range, width, ct).ConfigureAwait(false))
            {
                histograms[start] = histogram;
            }
        }

        var points = new List<RequestPoint>();
        for (var start = BucketStart(range.From, width); start < range.To; start += width)
        {
            var c = counts.GetValueOrDefault(start) ?? new long[9];
            var h = histograms.GetValueOrDefault(start) ?? [];
            points.Add(new RequestPoint(start, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8],
                LatencyHistogram.Percentile(h, 0.50), LatencyHistogram.Percentile(h, 0.95), LatencyHistogram.Percentile(h, 0.99)));
        }

        return new RequestSeries(width, points);
    }

    /// <summary>Totals over <paramref name="range"/>, with distinct visitors and overall percentiles.</summary>
    public async Task<RequestTotals> GetTotalsAsync(long projectId, TimeRange range, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            const string sql = $"""
                SELECT coalesce(sum(requests), 0)::bigint, coalesce(sum(status2xx), 0)::bigint, coalesce(sum(status3xx), 0)::bigint,
                       coalesce(sum(status4xx), 0)::bigint, coalesce(sum(status5xx), 0)::bigint, coalesce(sum(status_other), 0)::bigint,
                       coalesce(sum(browsers), 0)::bigint, coalesce(sum(bots), 0)::bigint, coalesce(sum(other_agents), 0)::bigint,
                       coalesce(sum(bytes_in), 0)::bigint, coalesce(sum(bytes_out), 0)::bigint
                FROM {Rollups}
                """;
            var totals = new long[12];
            var command = Command(connection, sql, projectId, range);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(ct).ConfigureAwait(false);
                    for (var i = 0; i < totals.Length - 1; i++)
                    {
                        totals[i] = reader.GetInt64(i);
                    }
                }
            }

            totals[^1] = await CountVisitorsAsync(connection, projectId, range, ct).ConfigureAwait(false);

            // One bucket as wide as the range gives the overall histogram.
            var histogram = new long[LatencyHistogram.BucketCount];
            await foreach (var (_, h) in ReadHistogramsAsync(connection, projectId, range, null, ct).ConfigureAwait(false))
            {
                for (var i = 0; i < h.Length; i++)
                {
                    histogram[i] += h[i];
                }
            }

            return new RequestTotals(totals[0], totals[1], totals[2], totals[3], totals[4], totals[5], totals[6], totals[7], totals[8],
                totals[9], totals[10], totals[11],
                LatencyHistogram.Percentile(histogram, 0.50), LatencyHistogram.Percentile(histogram, 0.95), LatencyHistogram.Percentile(histogram, 0.99));
        }
    }

    /// <summary>Distinct visitors per UTC day over <paramref name="range"/> (days without visitors left out).</summary>
    public async Task<IReadOnlyList<DailyVisitors>> GetVisitorsPerDayAsync(long projectId, TimeRange range, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        var window = VisitorWindow.Of(range);
        var result = new List<DailyVisitors>();
        var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = new NpgsqlCommand(window.SpansDays ? VisitorWindow.PerDayFromDays : VisitorWindow.PerDayFromHours, connection);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.AddWithValue("project", projectId);
                window.Bind(command);
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        result.Add(new DailyVisitors(reader.GetFieldValue<DateOnly>(0), reader.GetInt64(1)));
                    }
                }
            }
        }

        return result;
    }

    /// <summary>The most requested paths over <paramref name="range"/> (from raw events).</summary>
    public Task<IReadOnlyList<RankedCount>> GetTopPathsAsync(long projectId, TimeRange range, int limit = 10, CancellationToken ct = default) =>
        RankAsync("path", "TRUE", projectId, range, limit, ct);

    /// <summary>The referrer hosts sending most requests over <paramref name="range"/> (from raw events).</summary>
    public Task<IReadOnlyList<RankedCount>> GetTopReferrersAsync(long projectId, TimeRange range, int limit = 10, CancellationToken ct = default) =>
        RankAsync("referrer_host", "referrer_host IS NOT NULL", projectId, range, limit, ct);

    /// <summary>Requests per minute of each project over the last <paramref name="minutes"/> minutes up to <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyDictionary<long, long[]>> GetRecentPerMinuteAsync(
        IReadOnlyCollection<long> projectIds, int minutes, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(projectIds);
        var first = MinuteRollup.MinuteOf(now).AddMinutes(1 - minutes);
        var result = projectIds.Distinct().ToDictionary(id => id, _ => new long[minutes]);
        if (result.Count == 0)
        {
            return result;
        }

        var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = new NpgsqlCommand(
                "SELECT project_id, minute, requests FROM request_rollups WHERE project_id = ANY(@projects) AND minute >= @from", connection);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.AddWithValue("projects", result.Keys.ToArray());
                command.Parameters.AddWithValue("from", first);
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        var index = (int)((reader.GetFieldValue<DateTimeOffset>(1) - first).Ticks / TimeSpan.TicksPerMinute);
                        if (index >= 0 && index < minutes)
                        {
                            result[reader.GetInt64(0)][index] = reader.GetInt64(2);
                        }
                    }
                }
            }
        }

        return result;
    }

    private async Task<IReadOnlyList<RankedCount>> RankAsync(string column, string filter, long projectId, TimeRange range, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        // Column and filter are constants of this class, never input.
        var sql = $"""
            SELECT {column}, count(*) FROM request_events
            WHERE project_id = @project AND timestamp >= @from AND timestamp < @to AND {filter}
            GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT @limit
            """;
        var result = new List<RankedCount>();
        var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Command(connection, sql, projectId, range);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.AddWithValue("limit", limit);
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        result.Add(new RankedCount(reader.GetString(0), reader.GetInt64(1)));
                    }
                }
            }
        }

        return result;
    }

    // Distinct visitors over the hours the range overlaps (see VisitorWindow for why the daily sets are exact).
    private static async Task<long> CountVisitorsAsync(NpgsqlConnection connection, long projectId, TimeRange range, CancellationToken ct)
    {
        var window = VisitorWindow.Of(range);
        var command = new NpgsqlCommand(window.SpansDays ? VisitorWindow.CountFromDays : VisitorWindow.CountFromHours, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("project", projectId);
            window.Bind(command);
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is long count ? count : 0;
        }
    }

    // Summed latency buckets per time bucket (null width: one bucket for the whole range); only non-zero counts travel.
    private static async IAsyncEnumerable<(DateTimeOffset Start, long[] Histogram)> ReadHistogramsAsync(
        NpgsqlConnection connection, long projectId, TimeRange range, TimeSpan? width,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var bucket = width is null ? "@from" : "date_bin(@width, r.minute, @origin)";
        var sql = $"""
            SELECT {bucket} AS b, u.i::int, sum(u.c)::bigint
            FROM {Rollups}, unnest(r.latency_buckets) WITH ORDINALITY AS u(c, i)
            WHERE u.c > 0
            GROUP BY b, u.i ORDER BY b
            """;
        var command = Command(connection, sql, projectId, range, UsesHours(width));
        await using (command.ConfigureAwait(false))
        {
            if (width is { } w)
            {
                command.Parameters.AddWithValue("width", w);
                command.Parameters.AddWithValue("origin", Origin);
            }

            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                DateTimeOffset? current = null;
                long[]? histogram = null;
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var start = reader.GetFieldValue<DateTimeOffset>(0);
                    if (current != start)
                    {
                        if (histogram is not null)
                        {
                            yield return (current!.Value, histogram);
                        }

                        current = start;
                        histogram = new long[LatencyHistogram.BucketCount];
                    }

                    histogram![reader.GetInt32(1) - 1] = reader.GetInt64(2);
                }

                if (histogram is not null)
                {
                    yield return (current!.Value, histogram);
                }
            }
        }
    }

    private static async IAsyncEnumerable<(DateTimeOffset Start, long[] Values)> QueryAsync(
        NpgsqlConnection connection, string sql, long projectId, TimeRange range, TimeSpan width, int columns,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var command = Command(connection, sql, projectId, range, UsesHours(width));
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("width", width);
            command.Parameters.AddWithValue("origin", Origin);
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var values = new long[columns - 1];
                    for (var i = 1; i < columns; i++)
                    {
                        values[i - 1] = reader.GetInt64(i);
                    }

                    yield return (reader.GetFieldValue<DateTimeOffset>(0), values);
                }
            }
        }
    }

    // Hourly rows can stand for whole buckets only when buckets are whole hours (null: one bucket for the whole range).
    private static bool UsesHours(TimeSpan? width) => width is not { } w || w.Ticks % TimeSpan.TicksPerHour == 0;

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, long projectId, TimeRange range, bool useHours = true)
    {
        var from = range.From.ToUniversalTime();
        var to = range.To.ToUniversalTime();
        var innerFrom = MinuteRollup.HourOf(from) == from ? from : MinuteRollup.HourOf(from).AddHours(1);
        var innerTo = MinuteRollup.HourOf(to);
        if (!useHours || innerFrom >= innerTo)
        {
            innerFrom = innerTo = from;
        }

        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("project", projectId);
        command.Parameters.AddWithValue("from", range.From.ToUniversalTime());
        command.Parameters.AddWithValue("to", range.To.ToUniversalTime());
        command.Parameters.AddWithValue("inner_from", innerFrom);
        command.Parameters.AddWithValue("inner_to", innerTo);
        return command;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(await database.GetConnectionStringAsync(ct).ConfigureAwait(false));
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
