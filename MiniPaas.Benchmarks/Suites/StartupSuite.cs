using MiniPaas.Core.Ingress;
using static MiniPaas.Benchmarks.Suites.Findings;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>
/// Start-up and idle memory (issue 8, item 6), on MiniPaas.Web as its own process: time from process start to
/// <c>/readyz</c> green on an empty data directory (includes creating the embedded database cluster) and again with 10
/// projects deployed (their containers still running, adopted by the reconciler); then the resident memory after it idled.
/// </summary>
public sealed class StartupSuite(BenchOptions options, Findings findings, Action<string> log)
{
    private const int Projects = 10;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(20);

    public async Task RunAsync(CancellationToken ct)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "minipaas-bench-startup-" + Guid.NewGuid().ToString("N")[..8]);
        var rows = new List<string>();
        var deployed = new List<(long Id, string Subdomain, string Marker)>();
        try
        {
            await using (var first = await MiniPaasProcess.StartAsync(dataDirectory, options.DockerHost, ct))
            {
                rows.Add(Invariant($"| first start, empty data directory (creates the database cluster) | {first.TimeToReady.TotalSeconds:F2} | – | {LoadAverage.Now():F1} |"));
                log(Invariant($"  first start: ready in {first.TimeToReady.TotalSeconds:F2} s"));
            }

            await using (var seeding = MiniPaasHost.Start(dataDirectory, options.DockerHost))
            {
                seeding.KeepDataDirectory = true;
                await seeding.MoveIdsAwayAsync(ct);
                var path = new MiniPaasPath(seeding);
                using var repo = await SampleRepo.CreateAsync(SampleApp.BusyboxDockerfile.Files("startup-app"), ct);
                for (var i = 0; i < Projects; i++)
                {
                    await path.DeployAsync(repo, "startup-app", ct);
                    var subdomain = path.LastSubdomain!;
                    deployed.Add((seeding.Get<IRouteTable>().Find(subdomain)!.ProjectId, subdomain, "startup-app"));
                }

                log($"  {Projects} projects deployed");
            }

            var readyTimes = new List<double>();
            var resident = new List<double>();
            var helloTimes = new List<double>();
            for (var run = 1; run <= 2; run++)
            {
                // Baseline in the same breath: a bare Kestrel hello-world process, start → first 200, on this machine now.
                var helloClock = System.Diagnostics.Stopwatch.StartNew();
                await using (await HelloBackend.StartAsync(ct))
                {
                    helloTimes.Add(helloClock.Elapsed.TotalSeconds);
                }

                await using var process = await MiniPaasProcess.StartAsync(dataDirectory, options.DockerHost, ct);
                readyTimes.Add(process.TimeToReady.TotalSeconds);
                foreach (var (_, subdomain, marker) in deployed)
                {
                    await Probe.WaitFor200Async(process.IngressPort, $"{subdomain}.localhost:{process.IngressPort}", marker, TimeSpan.FromSeconds(60), null, ct);
                }

                await Task.Delay(Idle, ct);
                var rss = process.ResidentBytes() / (1024.0 * 1024);
                resident.Add(rss);
                rows.Add(Invariant($"| restart #{run} with {Projects} projects running | {process.TimeToReady.TotalSeconds:F2} (hello-world: {helloTimes[^1]:F2}) | {rss:F0} | {LoadAverage.Now():F1} |"));
                log(Invariant($"  restart {run}: ready in {process.TimeToReady.TotalSeconds:F2} s, RSS {rss:F0} MiB after {Idle.TotalSeconds:F0} s idle"));
            }

            findings.Target("Start-up: process start → /readyz green", "≤ 3 s", Invariant($"{Median(readyTimes):F2} s with {Projects} projects (first start on an empty data directory: see below)"), Median(readyTimes) <= 3, Invariant($"includes starting the embedded PostgreSQL cluster; a bare Kestrel hello-world process took {Median(helloTimes):F2} s to its first 200 in the same runs (ratio {Median(readyTimes) / Median(helloTimes):F1}×), so most of what is above 3 s here is the machine's load"));
            findings.Target(Invariant($"Idle memory (RSS) with {Projects} projects"), "≤ 250 MB", Invariant($"{Median(resident):F0} MiB"), Median(resident) * 1.048576 <= 250, "server GC (as shipped); the embedded PostgreSQL runs in its own processes and is not counted");
            findings.Section(
                "Start-up and idle memory (MiniPaas.Web as its own process)",
                Invariant($"""
                    `dotnet MiniPaas.Web.dll` from the build output, Production environment, embedded database, host networking. Ready = first 200 from `/readyz` (polled every 20 ms) after `Process.Start`; RSS = VmRSS {Idle.TotalSeconds:F0} s after every app answered through the ingress.

                    | Start | Ready (s) | RSS idle (MiB) | Load |
                    |---|---|---|---|
                    {string.Join("\n", rows)}
                    """));
        }
        finally
        {
            if (deployed.Count > 0)
            {
                // A last MiniPaas on the same data directory removes the projects (their containers and images) and the directory.
                await using var cleanup = MiniPaasHost.Start(dataDirectory, options.DockerHost);
                foreach (var (id, subdomain, _) in deployed)
                {
                    await cleanup.Get<MiniPaas.Core.Projects.ProjectService>().DeleteAsync(id, subdomain, CancellationToken.None);
                }
            }
            else if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}
