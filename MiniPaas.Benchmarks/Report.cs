using System.Globalization;
using System.Text;

namespace MiniPaas.Benchmarks;

/// <summary>Collects the results and renders them as the Markdown pasted into docs/benchmarks.md.</summary>
public sealed class Report
{
    private readonly List<(string Key, string Value)> _machine = [];
    private readonly List<string> _deployRows = [];
    private readonly List<string> _proxyRows = [];
    private readonly List<string> _phaseRows = [];
    private string? _memory;
    private int _retries;

    /// <summary>Targets and sections of the suites under Suites/.</summary>
    public Suites.Findings Findings { get; } = new();

    /// <summary>A repetition failed (e.g. another instance removed a container) and was repeated.</summary>
    public void Retried() => _retries++;

    public void Machine(IReadOnlyList<(string Key, string Value)> facts) => _machine.AddRange(facts);

    public void Deploys(string app, IReadOnlyDictionary<(string Path, string Cache), List<TimeSpan>> samples)
    {
        foreach (var cache in new[] { "cold", "warm" })
        {
            var miniPaas = samples[("MiniPaas", cache)].Select(s => s.TotalSeconds).ToArray();
            var byHand = samples[("git + docker by hand", cache)].Select(s => s.TotalSeconds).ToArray();
            _deployRows.Add(Invariant(
                $"| {app} | {cache} | {Median(miniPaas):F2} ({miniPaas.Min():F2}–{miniPaas.Max():F2}) | {Median(byHand):F2} ({byHand.Min():F2}–{byHand.Max():F2}) | **{Median(miniPaas) / Median(byHand):F2}** | {miniPaas.Length} |"));
        }
    }

    public void Phases(string app, IReadOnlyDictionary<string, Dictionary<string, List<TimeSpan>>> byCache)
    {
        foreach (var (cache, phases) in byCache)
        {
            foreach (var (name, values) in phases)
            {
                var seconds = values.Select(v => v.TotalSeconds).ToArray();
                _phaseRows.Add(Invariant($"| {app} | {cache} | {name} | {Median(seconds):F2} | {seconds.Length} |"));
            }
        }
    }

    public void Proxy(string app, IReadOnlyList<LoadResult> direct, IReadOnlyList<LoadResult> ingress)
    {
        var directRps = Median(direct.Select(r => r.RequestsPerSecond).ToArray());
        var ingressRps = Median(ingress.Select(r => r.RequestsPerSecond).ToArray());
        var directP50 = Median(direct.Select(r => r.P50Ms).ToArray());
        var ingressP50 = Median(ingress.Select(r => r.P50Ms).ToArray());
        var directP99 = Median(direct.Select(r => r.P99Ms).ToArray());
        var ingressP99 = Median(ingress.Select(r => r.P99Ms).ToArray());
        var errors = direct.Sum(r => r.Errors) + ingress.Sum(r => r.Errors);
        _proxyRows.Add(Invariant($"| {app} | requests/s | {directRps:F0} | {ingressRps:F0} | **{ingressRps / directRps:F2}** |"));
        _proxyRows.Add(Invariant($"| {app} | p50 latency (ms) | {directP50:F2} | {ingressP50:F2} | **{ingressP50 / directP50:F2}** |"));
        _proxyRows.Add(Invariant($"| {app} | p99 latency (ms) | {directP99:F2} | {ingressP99:F2} | **{ingressP99 / directP99:F2}** |"));
        _proxyRows.Add(Invariant($"| {app} | failed requests | {direct.Sum(r => r.Errors)} | {ingress.Sum(r => r.Errors)} | {(errors == 0 ? "–" : "!")} |"));
    }

    public void Memory(long peakWorkingSet, long gcHeap) =>
        _memory = Invariant($"Peak working set of the benchmark process (MiniPaas in-process + harness + load generator): {peakWorkingSet / (1024.0 * 1024):F0} MiB; managed heap at the end: {gcHeap / (1024.0 * 1024):F0} MiB.");

    public string ToMarkdown(BenchOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Run at {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC with `--reps {options.Repetitions} --requests {options.Requests} --concurrency {options.Concurrency} --rounds {options.Rounds}{(options.Node ? string.Empty : " --no-node")}`."));
        text.AppendLine();
        text.AppendLine("| Machine | |");
        text.AppendLine("|---|---|");
        foreach (var (key, value) in _machine)
        {
            text.AppendLine($"| {key} | {value} |");
        }

        text.AppendLine();
        text.Append(Findings.ToMarkdown());
        if (_deployRows.Count > 0)
        {
            text.AppendLine("Deploy → first 200, seconds: median (min–max); ratio = MiniPaas median ÷ by-hand median (lower is better, 1.00 = same).");
            text.AppendLine();
            text.AppendLine("| App | Cache | MiniPaas | git + docker by hand | Ratio | n |");
            text.AppendLine("|---|---|---|---|---|---|");
            _deployRows.ForEach(row => text.AppendLine(row));
            text.AppendLine();
            text.AppendLine(Invariant($"Repetitions repeated after a failure: {_retries}."));
            text.AppendLine();
            text.AppendLine("Where MiniPaas's time goes: median seconds in each deployment status (from its status feed), the last one until the first 200 at the ingress.");
            text.AppendLine();
            text.AppendLine("| App | Cache | Phase | Median | n |");
            text.AppendLine("|---|---|---|---|---|");
            _phaseRows.ForEach(row => text.AppendLine(row));
            text.AppendLine();
        }

        if (_proxyRows.Count > 0)
        {
            text.AppendLine("Proxy overhead, medians over rounds; ratio = through the MiniPaas ingress ÷ direct to the container.");
            text.AppendLine();
            text.AppendLine("| Upstream app | Metric | Direct | Through ingress | Ratio |");
            text.AppendLine("|---|---|---|---|---|");
            _proxyRows.ForEach(row => text.AppendLine(row));
        }

        if (_memory is not null)
        {
            text.AppendLine();
            text.AppendLine(_memory);
        }

        return text.ToString();
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
