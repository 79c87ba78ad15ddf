using Npgsql;

namespace MiniPaas.Core.Analytics;

/// <summary>
/// How distinct visitors over a time range are counted exactly from the visitor sets. Visitor sets have hour granularity,
/// so a range counts the visitors of every hour it overlaps. A range inside one UTC day counts the hourly sets (at most 24
/// hours of them). A longer range counts the daily sets, one row per visitor and day instead of one per visitor and hour:
/// whole days take every row, the partial first day the visitors whose last hour that day is inside the range, the partial
/// last day those whose first hour is — exact, because within one day a range that starts or ends at a day boundary holds
/// one of the visitor's hours exactly when it holds the last (or first) one. Both count DISTINCT, so an id that recurs
/// on several days (the daily salt makes that a hash collision in practice) is still one visitor.
/// </summary>
internal sealed record VisitorWindow(DateTimeOffset FromHour, DateTimeOffset To, DateOnly FirstDay, DateOnly LastDay)
{
    private const string HourlyRows = """
        SELECT visitor_id FROM request_visitors
        WHERE project_id = @project AND hour >= @v_from_hour AND hour < @v_to
        """;

    private const string DailyRows = """
        SELECT visitor_id FROM request_visitors_daily
        WHERE project_id = @project AND day >= @v_first_day AND day <= @v_last_day
          AND last_hour >= @v_from_hour AND first_hour < @v_to
        """;

    /// <summary>Distinct visitors of the range from the hourly sets (ranges inside one day).</summary>
    public const string CountFromHours = $"SELECT count(DISTINCT visitor_id) FROM ({HourlyRows}) AS v";

    /// <summary>Distinct visitors of the range from the daily sets (ranges over more than one day).</summary>
    public const string CountFromDays = $"SELECT count(DISTINCT visitor_id) FROM ({DailyRows}) AS v";

    /// <summary>Distinct visitors per UTC day from the hourly sets (ranges inside one day).</summary>
    public const string PerDayFromHours = """
        SELECT (date_trunc('day', hour AT TIME ZONE 'UTC'))::date AS d, count(DISTINCT visitor_id)
        FROM request_visitors WHERE project_id = @project AND hour >= @v_from_hour AND hour < @v_to
        GROUP BY d ORDER BY d
        """;

    /// <summary>Distinct visitors per UTC day from the daily sets (one row per visitor and day, so count(*)).</summary>
    public const string PerDayFromDays = """
        SELECT day, count(*) FROM request_visitors_daily
        WHERE project_id = @project AND day >= @v_first_day AND day <= @v_last_day
          AND last_hour >= @v_from_hour AND first_hour < @v_to
        GROUP BY day ORDER BY day
        """;

    /// <summary>Whether the overlapped hours reach into more than one UTC day (then the daily sets answer).</summary>
    public bool SpansDays => LastDay > FirstDay;

    public static VisitorWindow Of(TimeRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        var fromHour = MinuteRollup.HourOf(range.From);
        var to = range.To.ToUniversalTime();

        // The last overlapped hour is the one holding the last instant before To.
        var lastHour = MinuteRollup.HourOf(to.AddTicks(-1));
        return new VisitorWindow(fromHour, to, VisitorSetWriter.DayOf(fromHour), VisitorSetWriter.DayOf(lastHour));
    }

    /// <summary>Binds the <c>@v_*</c> parameters of these queries.</summary>
    public void Bind(NpgsqlCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Parameters.AddWithValue("v_from_hour", FromHour);
        command.Parameters.AddWithValue("v_to", To);
        command.Parameters.AddWithValue("v_first_day", FirstDay);
        command.Parameters.AddWithValue("v_last_day", LastDay);
    }
}
