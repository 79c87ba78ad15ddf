using MiniPaas.Core.Analytics;
using MudBlazor;

namespace MiniPaas.Web.Components.Analytics;

/// <summary>Turns analytics query results into MudBlazor chart series (no UI state; unit-testable).</summary>
public static class AnalyticsCharts
{
    public static List<ChartSeries<double>> Requests(RequestSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return [Line("Requests", series, p => p.Requests)];
    }

    public static List<ChartSeries<double>> StatusClasses(RequestSeries series)
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
    public static List<ChartSeries<double>> Latency(RequestSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return
        [
            Percentile("p50", series, p => p.P50),
            Percentile("p95", series, p => p.P95),
            Percentile("p99", series, p => p.P99),
        ];
    }

    private static ChartSeries<double> Line(string name, RequestSeries series, Func<RequestPoint, long> value) => new()
    {
        Name = name,
        Data = series.Points.Select(p => (p.Start.UtcDateTime, (double)value(p))).ToList(),
    };

    private static ChartSeries<double> Percentile(string name, RequestSeries series, Func<RequestPoint, double?> value) => new()
    {
        Name = name,
        Data = series.Points.Where(p => value(p) is not null).Select(p => (p.Start.UtcDateTime, value(p)!.Value)).ToList(),
    };
}
