using System.Globalization;
using System.Text;
using MiniPaas.Core.Ingress;
using static MiniPaas.Benchmarks.Suites.Findings;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>
/// Proxy throughput and latency (issue 8, item 2): wrk straight to the backend (A) and through the ingress (B), interleaved
/// A B A B; medians; ratio B ÷ A. Then a fixed rate of half the direct maximum for the added p50/p99.
/// </summary>
public sealed class ProxySuite(MiniPaasHost host, MiniPaasPath miniPaas, BenchOptions options, Findings findings, Action<string> log)
{
    private const int CpuRate = 4000;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    private readonly StringBuilder _rows = new();

    public async Task RunAsync(CancellationToken ct)
    {
        if (!Wrk.IsInstalled)
        {
            findings.Target("Proxy", "≥ 0.6× / ≥ 0.85× direct", "–", null, "wrk is not installed (`apt-get install -y wrk`)");
            return;
        }

        // A real project and deployment own the route (request capture keys on them); the Kestrel backend then takes it over.
        using var busybox = await SampleRepo.CreateAsync(SampleApp.BusyboxDockerfile.Files("proxy-kestrel"), ct);
        await miniPaas.DeployAsync(busybox, "proxy-kestrel", ct);
        var kestrelSubdomain = miniPaas.LastSubdomain!;
        await using (var hello = await HelloBackend.StartAsync(ct))
        {
            var table = host.Get<RouteTable>();
            var route = table.Find(kestrelSubdomain) ?? throw new InvalidOperationException("No route after deploy.");
            table.SetUpstream(kestrelSubdomain, route.ProjectId, route.DeploymentId!.Value, $"127.0.0.1:{hello.Port}");
            await MeasureAsync("Kestrel hello-world", hello.Port, kestrelSubdomain, 0.6, ct);
        }

        if (options.Node)
        {
            using var node = await SampleRepo.CreateAsync(SampleApp.NodeGenerated.Files("proxy-node"), ct);
            await miniPaas.DeployAsync(node, "proxy-node", ct);
            var subdomain = miniPaas.LastSubdomain!;
            var upstream = host.Get<IRouteTable>().Find(subdomain)?.Upstream ?? throw new InvalidOperationException("No upstream after deploy.");
            await MeasureAsync("Node http (container)", int.Parse(upstream[(upstream.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture), subdomain, 0.85, ct);
        }

        findings.Section(
            "Proxy: wrk, direct (A) and through the ingress (B), interleaved",
            Invariant($"""
                wrk 4.1 (`taskset -c {Environment.ProcessorCount - 1} wrk -t1`), {options.Connections} connections, {options.WrkSeconds} s per run, {options.Rounds} rounds of A B for the maximum, then {options.Rounds} rounds of A B at a fixed rate of half the direct maximum ({options.LatencyConnections} connections). Load average (1 min) at the end of each run in brackets.

                | Backend | Run | Direct (A) | Ingress (B) | Ratio B ÷ A |
                |---|---|---|---|---|
                {_rows}
                """));
    }

    private async Task MeasureAsync(string backend, int directPort, string subdomain, double throughputTarget, CancellationToken ct)
    {
        var ingressHost = $"{subdomain}.localhost:{host.IngressPort}";
        log($"Proxy: {backend}, direct port {directPort}, ingress Host {ingressHost}");
        await Wrk.MaxAsync(directPort, null, options.Connections, WarmUp, ct);
        await Wrk.MaxAsync(host.IngressPort, ingressHost, options.Connections, WarmUp, ct);

        var direct = new List<WrkResult>();
        var ingress = new List<WrkResult>();
        for (var round = 0; round < options.Rounds; round++)
        {
            direct.Add(await Wrk.MaxAsync(directPort, null, options.Connections, TimeSpan.FromSeconds(options.WrkSeconds), ct));
            ingress.Add(await Wrk.MaxAsync(host.IngressPort, ingressHost, options.Connections, TimeSpan.FromSeconds(options.WrkSeconds), ct));
            Row(backend, $"max #{round + 1}, req/s", direct[^1].RequestsPerSecond, ingress[^1].RequestsPerSecond, direct[^1], ingress[^1], "F0");
        }

        var directMax = Median(direct.Select(r => r.RequestsPerSecond));
        var ingressMax = Median(ingress.Select(r => r.RequestsPerSecond));
        var ratio = ingressMax / directMax;
        var failures = direct.Concat(ingress).Sum(r => r.Failures);

        var half = directMax / 2;
        var proxyCpu = new List<double>();
        var slowDirect = new List<WrkResult>();
        var slowIngress = new List<WrkResult>();
        for (var round = 0; round < options.Rounds; round++)
        {
            slowDirect.Add(await Wrk.FixedRateAsync(directPort, null, options.LatencyConnections, half, TimeSpan.FromSeconds(options.WrkSeconds), ct));
            var cpuBefore = ProcessCpu.Self();
            slowIngress.Add(await Wrk.FixedRateAsync(host.IngressPort, ingressHost, options.LatencyConnections, half, TimeSpan.FromSeconds(options.WrkSeconds), ct));
            proxyCpu.Add((ProcessCpu.Self() - cpuBefore).TotalMicroseconds / slowIngress[^1].Requests);
            Row(backend, Invariant($"{half:F0}/s #{round + 1}, p50 ms"), slowDirect[^1].P50Ms, slowIngress[^1].P50Ms, slowDirect[^1], slowIngress[^1], "F3");
            Row(backend, Invariant($"{half:F0}/s #{round + 1}, p99 ms"), slowDirect[^1].P99Ms, slowIngress[^1].P99Ms, slowDirect[^1], slowIngress[^1], "F3");
        }

        // Added latency: per interleaved pair (B − A), then the median, so drift between rounds cancels.
        var addedP50 = Median(slowDirect.Zip(slowIngress, (a, b) => b.P50Ms - a.P50Ms));
        var addedP99 = Median(slowDirect.Zip(slowIngress, (a, b) => b.P99Ms - a.P99Ms));
        failures += slowDirect.Concat(slowIngress).Sum(r => r.Failures);
        var load = Median(direct.Concat(ingress).Select(r => r.LoadAverage));
        // CPU per request at one fixed rate for every backend and build (comparable between runs), less the idle CPU.
        var idleBefore = ProcessCpu.Self();
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var idlePerSecond = (ProcessCpu.Self() - idleBefore).TotalMicroseconds / 2;
        var fixedCpu = new List<double>();
        for (var round = 0; round < options.Rounds; round++)
        {
            var before = ProcessCpu.Self();
            var run = await Wrk.FixedRateAsync(host.IngressPort, ingressHost, options.LatencyConnections, CpuRate, TimeSpan.FromSeconds(options.WrkSeconds), ct);
            var seconds = options.WrkSeconds;
            fixedCpu.Add(((ProcessCpu.Self() - before).TotalMicroseconds - idlePerSecond * seconds) / run.Requests);
        }

        var cpuPerRequest = Median(fixedCpu);
        _rows.AppendLine(Invariant($"| {backend} | MiniPaas CPU per proxied request at {CpuRate}/s, idle CPU subtracted (median) | – | {cpuPerRequest:F1} µs | – |"));
        _rows.AppendLine(Invariant($"| {backend} | MiniPaas CPU per proxied request at {half:F0}/s (median) | – | {Median(proxyCpu):F1} µs | – |"));
        log(Invariant($"  {backend}: direct {directMax:F0} req/s, ingress {ingressMax:F0} req/s, ratio {ratio:F2}; added p50 {addedP50:F3} ms, p99 {addedP99:F3} ms; failures {failures}; MiniPaas CPU {cpuPerRequest:F1} µs/request"));

        findings.Target(
            $"Proxy throughput, {backend}",
            Invariant($"≥ {throughputTarget:F2}× direct"),
            Invariant($"**{ratio:F2}×** ({ingressMax:F0} ÷ {directMax:F0} req/s, load {load:F1}; MiniPaas {cpuPerRequest:F0} µs CPU per request)"),
            ratio >= throughputTarget,
            "2 cores shared by wrk, the proxy and the backend; the proxy needs CPU per request comparable to the backend's, so with a CPU-bound backend the ratio is bounded by the CPU split" + (failures > 0 ? Invariant($"; {failures} failed requests") : string.Empty));
        findings.Target(
            $"Added latency at half load, {backend}",
            "p50 ≤ 0.3 ms, p99 ≤ 1 ms",
            Invariant($"p50 +{addedP50:F3} ms, p99 +{addedP99:F3} ms at {half:F0} req/s"),
            addedP50 <= 0.3 && addedP99 <= 1,
            "wrk's 1 ms timer sends micro-bursts of rate/1000 requests; both paths get the same");
    }

    private void Row(string backend, string run, double a, double b, WrkResult ra, WrkResult rb, string format) =>
        _rows.AppendLine(Invariant($"| {backend} | {run} | {a.ToString(format, CultureInfo.InvariantCulture)} [{ra.LoadAverage:F1}] | {b.ToString(format, CultureInfo.InvariantCulture)} [{rb.LoadAverage:F1}] | {b / a:F2} |"));
}

/// <summary>CPU time (user + system) a process has used so far; differences over a run give CPU per request.</summary>
public static class ProcessCpu
{
    public static TimeSpan Self()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
