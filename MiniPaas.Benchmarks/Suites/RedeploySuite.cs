using System.Collections.Concurrent;
using System.Diagnostics;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Ingress;
using static MiniPaas.Benchmarks.Suites.Findings;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>
/// Zero-downtime redeploy under load (issue 8, item 3): a constant-rate client through the ingress while the app is
/// redeployed with a changed page. Reports failed requests, the longest time without a successful response, and the time
/// from "new container healthy" (the pipeline's "Healthy:" build-log line) to "route switched" (the route table's change
/// event for the new deployment).
/// </summary>
public sealed class RedeploySuite(MiniPaasHost host, MiniPaasPath miniPaas, BenchOptions options, Findings findings, Action<string> log)
{
    private const double Rate = 200;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public async Task RunAsync(CancellationToken ct)
    {
        var app = SampleApp.BusyboxDockerfile;
        using var repo = await SampleRepo.CreateAsync(app.Files("redeploy-0"), ct);
        await miniPaas.DeployAsync(repo, "redeploy-0", ct);
        var subdomain = miniPaas.LastSubdomain!;
        var table = host.Get<RouteTable>();
        var projectId = table.Find(subdomain)!.ProjectId;
        var rows = new List<string>();
        var failures = 0;
        var gaps = new List<double>();
        var switches = new List<double>();
        var controls = new List<double>();
        var runs = Math.Min(options.Repetitions, 5);
        for (var run = 1; run <= runs; run++)
        {
            var marker = $"redeploy-{run}-{Guid.NewGuid():N}";
            await repo.CommitAsync(app.Files(marker), "change the page", ct);
            var result = await RedeployOnceAsync(projectId, subdomain, marker, ct);
            failures += result.Failures;
            gaps.Add(result.LongestGapMs);
            switches.Add(result.SwitchMs);
            controls.Add(result.ControlGapMs);
            rows.Add(Invariant($"| {run} | {result.Requests} | {result.Failures} | {result.LongestGapMs:F0} | {result.ControlGapMs:F0} | {result.SwitchMs:F1} | {result.TotalSeconds:F1} | {result.LoadAverage:F1} |"));
            log(Invariant($"  redeploy {run}: {result.Requests} requests, {result.Failures} failed, longest gap {result.LongestGapMs:F0} ms, healthy → switched {result.SwitchMs:F1} ms"));
            if (result.FirstFailure is { } failure)
            {
                log($"    first failure: {failure}");
            }
        }

        findings.Target("Redeploy under load: failed requests", "0", Invariant($"{failures} in {runs} redeploys at {Rate:F0} req/s"), failures == 0, "busybox httpd app, cold build each time; old container drained then removed");
        findings.Target("Redeploy under load: longest gap without a success", "≤ 100 ms", Invariant($"{gaps.Max():F0} ms (median {Median(gaps):F0} ms)"), gaps.Max() <= 100, Invariant($"resolution {1000 / Rate:F0} ms; the same client's longest gap in the quiet second before each deploy (control): up to {controls.Max():F0} ms, i.e. what the loaded machine alone causes"));
        findings.Target("Redeploy: healthy → route switched", "≤ 50 ms", Invariant($"{switches.Max():F1} ms (median {Median(switches):F1} ms)"), switches.Max() <= 50, "from the pipeline's \"Healthy:\" log line to the route table's change event");
        findings.Section(
            "Redeploy under load",
            Invariant($"""
                {Rate:F0} requests/s (open loop, HttpClient in the harness) through the ingress to the busybox app while it is redeployed with a changed page (cold build), {runs} times. Gap = longest time between two successful responses from the deploy request until the new page has been served for 2 s.

                | Run | Requests | Failed | Longest gap (ms) | Control gap, 1 s before the deploy (ms) | Healthy → switched (ms) | Deploy → 2 s of new page (s) | Load |
                |---|---|---|---|---|---|---|---|
                {string.Join("\n", rows)}
                """));
    }

    private async Task<RedeployResult> RedeployOnceAsync(long projectId, string subdomain, string marker, CancellationToken ct)
    {
        var table = host.Get<RouteTable>();
        using var buildLog = host.Get<BuildLogFeed>().SubscribeAll();
        var healthy = new ConcurrentDictionary<long, DateTimeOffset>();
        using var stopReading = new CancellationTokenSource();
        var reader = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var batch in buildLog.ReadBatchesAsync(stopReading.Token))
                    {
                        foreach (var line in batch.Items.Where(l => l.Text.StartsWith("Healthy:", StringComparison.Ordinal)))
                        {
                            healthy.TryAdd(line.DeploymentId, line.Timestamp);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            },
            CancellationToken.None);

        var switched = new ConcurrentDictionary<long, DateTimeOffset>();
        void OnChanged(RouteSnapshot snapshot)
        {
            if (snapshot.Find(subdomain) is { DeploymentId: { } id, Upstream: not null })
            {
                switched.TryAdd(id, TimeProvider.System.GetUtcNow());
            }
        }

        table.Changed += OnChanged;
        await using var client = new ConstantRateClient(host.IngressPort, $"{subdomain}.localhost:{host.IngressPort}", Rate);
        try
        {
            client.Start();
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var deployRequested = Stopwatch.GetTimestamp();
            var deploymentId = await host.Get<DeploymentService>().DeployAsync(projectId, ct: ct);

            // Until the new page has been served for 2 s (so the old container's removal falls inside the window).
            long? firstNew = null;
            while (firstNew is null || Stopwatch.GetElapsedTime(firstNew.Value) < TimeSpan.FromSeconds(2))
            {
                if (Stopwatch.GetElapsedTime(deployRequested) > Timeout)
                {
                    throw new TimeoutException($"The redeploy did not serve '{marker}' within {Timeout}.");
                }

                firstNew ??= client.Results.Where(r => r.Succeeded && r.Body.Contains(marker, StringComparison.Ordinal)).Select(r => (long?)r.DoneAt).Min();
                await Task.Delay(100, ct);
            }

            await client.StopAsync();
            var total = Stopwatch.GetElapsedTime(deployRequested);
            var window = client.Results.Where(r => r.SentAt >= deployRequested).ToList();
            var successes = window.Where(r => r.Succeeded).Select(r => r.DoneAt).Order().ToList();
            var longestGap = LongestGap(successes);

            // Control: the same measure over the second before the deploy request, when nothing but the load ran.
            var control = LongestGap(client.Results.Where(r => r.SentAt < deployRequested && r.Succeeded).Select(r => r.DoneAt).Order().ToList());
            var switchMs = healthy.TryGetValue(deploymentId, out var healthyAt) && switched.TryGetValue(deploymentId, out var switchedAt)
                ? (switchedAt - healthyAt).TotalMilliseconds
                : double.NaN;
            return new RedeployResult(
                window.Count,
                window.Count(r => !r.Succeeded),
                longestGap,
                switchMs,
                total.TotalSeconds,
                LoadAverage.Now(),
                window.FirstOrDefault(r => !r.Succeeded)?.Body,
                control);
        }
        finally
        {
            table.Changed -= OnChanged;
            await stopReading.CancelAsync();
            await reader;
        }
    }

    private static double LongestGap(List<long> successTimes) =>
        successTimes.Zip(successTimes.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b).TotalMilliseconds).DefaultIfEmpty(double.NaN).Max();

    private sealed record RedeployResult(int Requests, int Failures, double LongestGapMs, double SwitchMs, double TotalSeconds, double LoadAverage, string? FirstFailure, double ControlGapMs);
}
