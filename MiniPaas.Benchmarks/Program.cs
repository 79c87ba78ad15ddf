using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using CliWrap;
using CliWrap.Buffered;
using Docker.DotNet;
using MiniPaas.Benchmarks;
using MiniPaas.Benchmarks.Suites;
using MiniPaas.Core.Ingress;

[assembly: SupportedOSPlatform("linux")]

// The proxy suite's Kestrel hello-world backend is this executable again, in its own process.
if (args is [HelloBackend.ServeArgument, var helloPort])
{
    return await HelloBackend.ServeAsync(helloPort);
}

if (args is ["analytics", .. var analyticsArgs])
{
    // The request-analytics benchmarks need PostgreSQL only, no Docker engine.
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    return await MiniPaas.Benchmarks.Analytics.AnalyticsBench.RunAsync(analyticsArgs, AnalyticsMachine(), stop.Token);
}

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

using var docker = new DockerClientConfiguration(new Uri(options.DockerHost), defaultTimeout: TimeSpan.FromMinutes(10)).CreateClient();
try
{
    await docker.System.PingAsync(ct);
}
catch (Exception ex) when (ex is HttpRequestException or TimeoutException or IOException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"Docker engine not reachable at {options.DockerHost}; start dockerd (see .ci/run). ({ex.GetBaseException().Message})");
    return 1;
}

var report = new Report();
report.Machine(await MachineAsync(options.DockerHost, ct));
Log($"Importing base images if missing (node: {options.Node})");
await new BaseImages(docker).EnsureAsync(options.Node, ct);

if (options.LogsOnly)
{
    Log("Live-log benchmark");
    var logSettings = new Dictionary<string, string?>
    {
        // The benchmark measures the pipeline's speed, not the rate limit that protects other projects.
        ["MiniPaas:Logs:RateLimitLinesPerSecond"] = "10000000",
        ["MiniPaas:Logs:RateLimitBurst"] = "10000000",
        ["environment"] = "Development",
    };
    await using var logHost = MiniPaasHost.Start(Path.Combine(Path.GetTempPath(), "minipaas-bench-" + Guid.NewGuid().ToString("N")[..8]), options.DockerHost, logSettings);
    await logHost.MoveIdsAwayAsync(ct);
    var logMarkdown = await new LogBenchmark(logHost, docker).RunAsync(options.Rounds, options.Node, ct);
    Console.WriteLine();
    Console.WriteLine(logMarkdown);
    if (options.Output is { } logOutput)
    {
        await File.WriteAllTextAsync(logOutput, logMarkdown, CancellationToken.None);
    }

    return 0;
}

var startClock = Stopwatch.StartNew();
await using var host = MiniPaasHost.Start(Path.Combine(Path.GetTempPath(), "minipaas-bench-" + Guid.NewGuid().ToString("N")[..8]), options.DockerHost);
await host.MoveIdsAwayAsync(ct);
Log($"MiniPaas started in {startClock.Elapsed.TotalSeconds:F1} s (ingress 127.0.0.1:{host.IngressPort})");

var miniPaas = new MiniPaasPath(host);
var byHand = new ByHandPath(options.DockerHost);
try
{
    var apps = options.Node ? new[] { SampleApp.BusyboxDockerfile, SampleApp.NodeGenerated } : [SampleApp.BusyboxDockerfile];
    foreach (var app in options.Runs("deploy") ? apps : [])
    {
        await DeployBenchmarkAsync(app);
    }

    if (options.Runs("proxy-httpclient"))
    {
        await ProxyBenchmarkAsync(options.Node ? SampleApp.NodeGenerated : SampleApp.BusyboxDockerfile);
    }

    await SuiteRunner.RunAsync(host, miniPaas, options, report.Findings, Log, ct);
}
finally
{
    await miniPaas.CleanupAsync(CancellationToken.None);
    await byHand.CleanupAsync(CancellationToken.None);
}

using (var self = Process.GetCurrentProcess())
{
    report.Memory(self.PeakWorkingSet64, GC.GetGCMemoryInfo().HeapSizeBytes);
}

var markdown = report.ToMarkdown(options);
Console.WriteLine();
Console.WriteLine(markdown);
if (options.Output is { } output)
{
    await File.WriteAllTextAsync(output, markdown, CancellationToken.None);
    Log($"Written to {output}");
}

if (options.DocsFile is { } docs)
{
    await DocsSection.RewriteAsync(docs, markdown, CancellationToken.None);
    Log($"Results section of {docs} rewritten");
}

return 0;

async Task DeployBenchmarkAsync(SampleApp app)
{
    Log($"Deploy benchmark: {app.Kind}");
    using var repo = await SampleRepo.CreateAsync(app.Files("warm-up-" + Guid.NewGuid().ToString("N")), ct);

    // Untimed warm-up: JIT and first-use costs of both paths, and the Dockerfile MiniPaas generates (reused by hand).
    await miniPaas.DeployAsync(repo, "warm-up", ct);
    byHand.Dockerfile = await miniPaas.LastGeneratedDockerfileAsync(ct);
    await byHand.DeployAsync(repo, "warm-up", ct);
    await miniPaas.CleanupAsync(ct);
    await byHand.CleanupAsync(ct);
    miniPaas.TakePhases();

    var phases = new Dictionary<string, Dictionary<string, List<TimeSpan>>> { ["cold"] = [], ["warm"] = [] };
    var samples = new Dictionary<(string Path, string Cache), List<TimeSpan>>();
    for (var i = 0; i < options.Repetitions; i++)
    {
        // Alternate which path goes first, so drift on this shared machine falls on both alike.
        IDeployPath[] order = i % 2 == 0 ? [miniPaas, byHand] : [byHand, miniPaas];
        foreach (var path in order)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    // A new marker in the first file each build COPYs: no cached layer from that COPY on ("cold").
                    var marker = $"bench-{i}-{Guid.NewGuid():N}";
                    await repo.CommitAsync(app.Files(marker), "cold", ct);
                    var cold = await path.DeployAsync(repo, marker, ct);
                    var coldPhases = miniPaas.TakePhases();

                    // A no-op commit on top: same content, new commit, so every layer comes from the cold build's cache ("warm").
                    await repo.CommitAsync(new Dictionary<string, string>(), "no-op", ct);
                    var warm = await path.DeployAsync(repo, marker, ct);
                    var warmPhases = miniPaas.TakePhases();
                    await path.CleanupAsync(ct);

                    Add(path.Name, "cold", cold);
                    Add(path.Name, "warm", warm);
                    AddPhases("cold", coldPhases);
                    AddPhases("warm", warmPhases);
                    Log($"  #{i + 1} {path.Name}: cold {cold.TotalSeconds:F2} s, warm {warm.TotalSeconds:F2} s");
                    break;
                }
                catch (Exception ex) when (attempt < 3 && ex is InvalidOperationException or TimeoutException)
                {
                    // On an engine shared with other MiniPaas instances their reconcilers may remove our containers mid-deploy.
                    Log($"  #{i + 1} {path.Name}: attempt {attempt} failed, repeating it ({ex.Message.Split('\n')[0]})");
                    report.Retried();
                    await path.CleanupAsync(ct);
                    miniPaas.TakePhases();
                }
            }
        }
    }

    report.Deploys(app.Kind, samples);
    report.Phases(app.Kind, phases);

    void AddPhases(string cache, IReadOnlyDictionary<string, List<TimeSpan>> taken)
    {
        foreach (var (name, values) in taken)
        {
            if (!phases[cache].TryGetValue(name, out var list))
            {
                phases[cache][name] = list = [];
            }

            list.AddRange(values);
        }
    }

    void Add(string path, string cache, TimeSpan value)
    {
        if (!samples.TryGetValue((path, cache), out var list))
        {
            samples[(path, cache)] = list = [];
        }

        list.Add(value);
    }
}

async Task ProxyBenchmarkAsync(SampleApp app)
{
    Log($"Proxy benchmark: {app.Kind}, {options.Requests} requests x {options.Rounds} rounds, {options.Concurrency} concurrent");
    using var repo = await SampleRepo.CreateAsync(app.Files("proxy"), ct);
    await miniPaas.DeployAsync(repo, "proxy", ct);
    var subdomain = miniPaas.LastSubdomain!;
    var upstream = host.Get<IRouteTable>().Find(subdomain)?.Upstream
        ?? throw new InvalidOperationException($"No upstream for {subdomain} after a successful deploy.");
    var directPort = int.Parse(upstream[(upstream.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    var ingressHost = $"{subdomain}.localhost:{host.IngressPort}";

    // Warm-up (untimed): connections, JIT of the proxy path.
    await LoadRun.RunAsync(directPort, null, Math.Min(500, options.Requests), options.Concurrency, ct);
    await LoadRun.RunAsync(host.IngressPort, ingressHost, Math.Min(500, options.Requests), options.Concurrency, ct);

    var direct = new List<LoadResult>();
    var ingress = new List<LoadResult>();
    for (var round = 0; round < options.Rounds; round++)
    {
        direct.Add(await LoadRun.RunAsync(directPort, null, options.Requests, options.Concurrency, ct));
        ingress.Add(await LoadRun.RunAsync(host.IngressPort, ingressHost, options.Requests, options.Concurrency, ct));
        Log($"  round {round + 1}: direct {direct[^1].RequestsPerSecond:F0} req/s p50 {direct[^1].P50Ms:F2} ms p99 {direct[^1].P99Ms:F2} ms; "
            + $"ingress {ingress[^1].RequestsPerSecond:F0} req/s p50 {ingress[^1].P50Ms:F2} ms p99 {ingress[^1].P99Ms:F2} ms");
    }

    report.Proxy(app.Kind, direct, ingress);
    await miniPaas.CleanupAsync(ct);
}

static async Task<IReadOnlyList<(string Key, string Value)>> MachineAsync(string dockerHost, CancellationToken ct)
{
    var dockerVersion = await Cli.Wrap("docker").WithArguments(["version", "--format", "{{.Server.Version}} (API {{.Server.APIVersion}})"])
        .WithEnvironmentVariables(env => env.Set("DOCKER_HOST", dockerHost)).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
    var driver = await Cli.Wrap("docker").WithArguments(["info", "--format", "{{.Driver}}"])
        .WithEnvironmentVariables(env => env.Set("DOCKER_HOST", dockerHost)).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
    var cpu = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;
    return
    [
        ("OS", RuntimeInformation.OSDescription),
        ("CPU", $"{Environment.ProcessorCount} logical cores{(cpu is null ? string.Empty : $", {cpu}")}"),
        ("Memory", $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):F1} GiB"),
        (".NET", RuntimeInformation.FrameworkDescription),
        ("Docker engine", dockerVersion.StandardOutput.Trim()),
        ("Storage driver", driver.StandardOutput.Trim()),
        ("Docker endpoint", dockerHost),
    ];
}

static IReadOnlyList<(string Key, string Value)> AnalyticsMachine() =>
[
    ("OS", RuntimeInformation.OSDescription),
    ("CPU", $"{Environment.ProcessorCount} logical cores"),
    (".NET", RuntimeInformation.FrameworkDescription),
];

static void Log(string line) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
