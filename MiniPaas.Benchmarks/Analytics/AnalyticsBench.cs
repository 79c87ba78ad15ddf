using System.Globalization;
using System.Text;

namespace MiniPaas.Benchmarks.Analytics;

/// <summary>
/// <c>analytics</c> mode: the request-analytics benchmarks (no Docker needed) — proxy throughput with capture on ÷ off,
/// COPY ÷ per-row INSERT, chart queries from rollups vs raw events — each a ratio measured in this one run.
/// </summary>
public static class AnalyticsBench
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IReadOnlyList<(string Key, string Value)> machine, CancellationToken ct)
    {
        var options = AnalyticsBenchOptions.Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine(AnalyticsBenchOptions.Usage);
            return 2;
        }

        var md = new StringBuilder();
        md.AppendLine("| Machine | |").AppendLine("|---|---|");
        foreach (var (key, value) in machine)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {value} |");
        }

        await using var database = await BenchDatabase.StartAsync(ct);
        if (!options.QueriesOnly)
        {
            await ProxyAndIngestAsync(database, options, md, ct);
        }

        Log($"Chart queries: generating {options.Events:N0} events over 7 days");
        var queries = await database.CreateAsync("bench_queries", ct);
        var now = DateTimeOffset.UtcNow;
        var generated = await ChartQueryBench.GenerateAsync(queries, options.Events, now, Log, ct);
        Log($"  generated in {generated.TotalSeconds:F0} s ({options.Events / generated.TotalSeconds:N0} events/s incl. rollups); measuring");
        var timings = await ChartQueryBench.MeasureAsync(queries, now, options, ct);
        md.AppendLine().AppendLine(Invariant($"Analytics-page queries over {options.Events:N0} events in 7 days, one project. \"charts\": requests, status classes and p50/p95/p99 per bucket; \"totals + unique visitors\": the summary numbers:"));
        md.AppendLine().AppendLine("| Window | Query | Source | median ms | p95 ms | runs |").AppendLine("|---|---|---|---|---|---|");
        foreach (var t in timings)
        {
            md.AppendLine(Invariant($"| {t.Window} | {t.Query} | {t.Source} | {Median(t.Milliseconds):F1} | {Percentile(t.Milliseconds, 0.95):F1} | {t.Milliseconds.Count} |"));
        }

        foreach (var (window, query) in timings.Select(t => (t.Window, t.Query)).Distinct())
        {
            var rollup = timings.Single(t => t.Window == window && t.Query == query && t.Source == "rollups");
            var raw = timings.Single(t => t.Window == window && t.Query == query && t.Source == "raw events");
            md.AppendLine(Invariant($"| **{window}** | **{query}: raw ÷ rollups** | **{Median(raw.Milliseconds) / Median(rollup.Milliseconds):F0}×** | (goal ≥ 20×; rollup p95 goal ≤ 100 ms) | | |"));
        }

        var markdown = md.ToString();
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (options.Output is { } output)
        {
            await File.WriteAllTextAsync(output, markdown, CancellationToken.None);
            Log($"Written to {output}");
        }

        return 0;
    }

    private static async Task ProxyAndIngestAsync(BenchDatabase database, AnalyticsBenchOptions options, StringBuilder md, CancellationToken ct)
    {
        Log($"Proxy throughput, capture off vs on: {options.ProxyRequests} requests x {options.ProxyRounds} rounds, {options.Concurrency} concurrent");
        var (off, on, stored) = await CaptureThroughputBench.RunAsync(await database.CreateAsync("bench_capture", ct), options, Log, ct);
        var offRps = Median(off.Select(r => r.RequestsPerSecond));
        var onRps = Median(on.Select(r => r.RequestsPerSecond));
        md.AppendLine().AppendLine("| Proxy (median of rounds) | req/s | p50 ms | p99 ms |").AppendLine("|---|---|---|---|");
        md.AppendLine(Invariant($"| capture off (no-op observer) | {offRps:F0} | {Median(off.Select(r => r.P50Ms)):F2} | {Median(off.Select(r => r.P99Ms)):F2} |"));
        md.AppendLine(Invariant($"| capture on (buffer + ingestor + PostgreSQL) | {onRps:F0} | {Median(on.Select(r => r.P50Ms)):F2} | {Median(on.Select(r => r.P99Ms)):F2} |"));
        md.AppendLine(Invariant($"| **on ÷ off** | **{onRps / offRps:F3}** (goal ≥ 0.95) | | |"));
        md.AppendLine(Invariant($"\nRequests stored by the capture-on host during the run: {stored:N0} (none lost: every captured request was written)."));

        Log($"Ingest: {options.InsertRows} rows one INSERT each, {options.CopyRows} rows by COPY in batches of {IngestRateBench.BatchSize}");
        var (insert, copy, full) = await IngestRateBench.RunAsync(await database.CreateAsync("bench_ingest", ct), options, ct);
        md.AppendLine().AppendLine("| Ingest into request_events | rows/s |").AppendLine("|---|---|");
        md.AppendLine(Invariant($"| one INSERT per row (autocommit), {options.InsertRows:N0} rows | {insert:N0} |"));
        md.AppendLine(Invariant($"| binary COPY, batches of {IngestRateBench.BatchSize:N0}, {options.CopyRows:N0} rows | {copy:N0} (goal ≥ 150,000) |"));
        md.AppendLine(Invariant($"| ingestor batch: COPY + rollup upsert + visitor sets in one transaction | {full:N0} |"));
        md.AppendLine(Invariant($"| **COPY ÷ per-row INSERT** | **{copy / insert:F1}×** (goal ≥ 30×) |"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static double Percentile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Log(string line) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
}
