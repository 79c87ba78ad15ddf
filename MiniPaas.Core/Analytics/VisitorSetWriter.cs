using Npgsql;
using NpgsqlTypes;

namespace MiniPaas.Core.Analytics;

/// <summary>
/// The visitor sets a batch adds to: hourly (<c>request_visitors</c>, what windows inside one day count) and daily with the
/// first and last hour of each visitor (<c>request_visitors_daily</c>, what longer windows count). Runs inside the batch's
/// transaction, so the sets always match the stored events.
/// </summary>
public static class VisitorSetWriter
{
    private const string InsertHourly = """
        INSERT INTO request_visitors (project_id, hour, visitor_id)
        SELECT * FROM unnest(@p, @h, @v) ON CONFLICT DO NOTHING
        """;

    // Only a visitor seen earlier or later in its day than known rewrites its row; the usual repeat visit writes nothing.
    private const string UpsertDaily = """
        INSERT INTO request_visitors_daily AS d (project_id, day, visitor_id, first_hour, last_hour)
        SELECT * FROM unnest(@p, @d, @v, @f, @l)
        ON CONFLICT (project_id, day, visitor_id) DO UPDATE SET
            first_hour = least(d.first_hour, excluded.first_hour),
            last_hour = greatest(d.last_hour, excluded.last_hour)
        WHERE excluded.first_hour < d.first_hour OR excluded.last_hour > d.last_hour
        """;

    /// <summary>UTC day of <paramref name="at"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    /// <summary>Adds the visitors of <paramref name="rows"/> to the hourly and daily sets.</summary>
    public static async Task AddAsync(NpgsqlConnection connection, IReadOnlyList<RequestRow> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var hourly = rows.Select(r => (r.ProjectId, Hour: MinuteRollup.HourOf(r.Timestamp), r.VisitorId)).Distinct().ToArray();
        var daily = Daily(hourly);
        var batch = new NpgsqlBatch(connection);
        await using (batch.ConfigureAwait(false))
        {
            var hourlyCommand = new NpgsqlBatchCommand(InsertHourly);
            hourlyCommand.Parameters.AddWithValue("p", hourly.Select(v => v.ProjectId).ToArray());
            hourlyCommand.Parameters.Add(new NpgsqlParameter("h", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = hourly.Select(v => v.Hour).ToArray() });
            hourlyCommand.Parameters.AddWithValue("v", hourly.Select(v => v.VisitorId).ToArray());
            batch.BatchCommands.Add(hourlyCommand);

            var dailyCommand = new NpgsqlBatchCommand(UpsertDaily);
            dailyCommand.Parameters.AddWithValue("p", daily.Select(v => v.ProjectId).ToArray());
            dailyCommand.Parameters.Add(new NpgsqlParameter("d", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = daily.Select(v => v.Day).ToArray() });
            dailyCommand.Parameters.AddWithValue("v", daily.Select(v => v.VisitorId).ToArray());
            dailyCommand.Parameters.Add(new NpgsqlParameter("f", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = daily.Select(v => v.FirstHour).ToArray() });
            dailyCommand.Parameters.Add(new NpgsqlParameter("l", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = daily.Select(v => v.LastHour).ToArray() });
            batch.BatchCommands.Add(dailyCommand);
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One entry per (project, UTC day, visitor) of <paramref name="hourly"/>, with the first and last hour seen; public so
    /// data generators (benchmarks) build exactly what the ingestor stores.
    /// </summary>
    public static IReadOnlyList<(long ProjectId, DateOnly Day, long VisitorId, DateTimeOffset FirstHour, DateTimeOffset LastHour)> Daily(
        IEnumerable<(long ProjectId, DateTimeOffset Hour, long VisitorId)> hourly) =>
        [.. hourly.GroupBy(v => (v.ProjectId, Day: DayOf(v.Hour), v.VisitorId))
            .Select(g => (g.Key.ProjectId, g.Key.Day, g.Key.VisitorId, g.Min(v => v.Hour), g.Max(v => v.Hour)))];
}
