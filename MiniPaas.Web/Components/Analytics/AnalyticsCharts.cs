using MiniPaas.Core.Analytics;
namespace MiniPaas.Web.Components.Analytics;

/// <summary>Turns analytics query results into time chart lines (no UI state; unit-testable).</summary>
public static class AnalyticsCharts
{
    public static List<TimeLine> Requests(RequestSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return [Line("Requests", series, p => p.Requests)];
    }

    public static List<TimeLine> StatusClasses(RequestSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return
        [
            Line("2xx", series, p => p.Status2xx),
            Line("3xx", series, p => p.Status3xx),
            Line("4xx", series, p => p.Status4xx),
            Line("5xx", series, p => p.Status5xx),
        ];
    }

    /// <summary>p50/p95/p99 per bucket; buckets without requests are left out rather than drawn as zero latency.</summary>
    public static List<TimeLine> Latency(RequestSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return
        [
            Percentile("p50", series, p => p.P50),
            Percentile("p95", series, p => p.P95),
            Percentile("p99", series, p => p.P99),
        ];
    }

    private static TimeLine Line(string name, RequestSeries series, Func<RequestPoint, long> value) =>
        new(name, [.. series.Points.Select(p => new TimePoint(p.Start.UtcDateTime, value(p)))]);

    private static TimeLine Percentile(string name, RequestSeries series, Func<RequestPoint, double?> value) =>
        new(name, [.. series.Points.Where(p => value(p) is not null).Select(p => new TimePoint(p.Start.UtcDateTime, value(p)!.Value))]);
}
