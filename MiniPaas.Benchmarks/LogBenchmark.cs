using System.Diagnostics;
using System.Globalization;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Playwright;
using MiniPaas.Core.Logs;

namespace MiniPaas.Benchmarks;

/// <summary>
/// The live-log goals: (1) lines/s from a container to a subscribed viewer ÷ lines/s a bare engine log client reads from the same
/// container in the same run; (2) p95 latency from a line's write to its arrival in the browser; (3) the viewer's DOM size after
/// 100,000 lines.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "RunAsync, the one use of an instance, disposes the seeded containers in its finally.")]
public sealed class LogBenchmark(MiniPaasHost host, DockerClient docker)
{
    private const int Lines = 100_000;
    private readonly SeededContainers _seeded = new(host, docker);

    public async Task<string> RunAsync(int rounds, bool withBrowser, CancellationToken ct)
    {
        var report = new StringBuilder();
        report.AppendLine("### Live logs").AppendLine();
        try
        {
            var ratios = new List<double>();
            report.AppendLine("| round | bare engine client (lines/s) | MiniPaas viewer feed (lines/s) | ratio |").AppendLine("|---|---|---|---|");
            for (var round = 1; round <= rounds; round++)
            {
                var (bare, viewer) = await ThroughputRoundAsync(ct);
                ratios.Add(viewer / bare);
                report.AppendLine(CultureInfo.InvariantCulture, $"| {round} | {bare:N0} | {viewer:N0} | {viewer / bare:F2} |");
                Console.WriteLine($"  logs round {round}: bare {bare:N0} lines/s, viewer {viewer:N0} lines/s");
            }

            ratios.Sort();
            report.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Median ratio: **{ratios[ratios.Count / 2]:F2}** (goal ≥ 0.8).").AppendLine();
            if (withBrowser)
            {
                await BrowserAsync(report, ct);
            }
        }
        finally
        {
            await _seeded.DisposeAsync();
        }

        return report.ToString();
    }

    private async Task<(double Bare, double Viewer)> ThroughputRoundAsync(CancellationToken ct)
    {
        var (projectId, deploymentId) = await SeedAsync(ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var clock = Stopwatch.StartNew();
        var viewer = ViewerAsync(deploymentId, clock, stop.Token);
        await Task.Delay(500, ct);
        var id = await StartAsync(projectId, deploymentId, BaseImages.Busybox,
            ["sh", "-c", $"sleep 3; i=1; while [ $i -le {Lines} ]; do echo \"line $i\"; i=$((i+1)); done; exec sleep 600"], ct);
        var bare = BareAsync(id, clock, stop.Token);
        var (bareFirst, bareLast) = await bare;
        var (_, viewerLast) = await viewer.WaitAsync(TimeSpan.FromMinutes(5), ct);
        await stop.CancelAsync();

        // Both rates start at the moment the first line was observable, so an attach that happens later is not flattered.
        return (Lines / (bareLast - bareFirst).TotalSeconds, Lines / (viewerLast - bareFirst).TotalSeconds);
    }

    private async Task<(TimeSpan First, TimeSpan Last)> ViewerAsync(long deploymentId, Stopwatch clock, CancellationToken ct)
    {
        var query = host.Get<RuntimeLogQuery>();
        TimeSpan? first = null;
        var seen = 0;
        await foreach (var batch in query.WatchAsync(deploymentId, 10, ct))
        {
            foreach (var line in batch)
            {
                if (line.Text.StartsWith("line ", StringComparison.Ordinal))
                {
                    first ??= clock.Elapsed;
                    if (++seen == Lines)
                    {
                        return (first.Value, clock.Elapsed);
                    }
                }
            }
        }

        throw new InvalidOperationException($"The viewer feed ended after {seen} lines.");
    }

    private async Task<(TimeSpan First, TimeSpan Last)> BareAsync(string containerId, Stopwatch clock, CancellationToken ct)
    {
        using var stream = await docker.Containers.GetContainerLogsAsync(containerId, tty: false,
            new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Follow = true, Timestamps = true }, ct);
        var buffer = new byte[64 * 1024];
        TimeSpan? first = null;
        var seen = 0;
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
            if (read.EOF)
            {
                throw new InvalidOperationException($"The log stream ended after {seen} lines.");
            }

            first ??= clock.Elapsed;
            seen += buffer.AsSpan(0, read.Count).Count((byte)'\n');
            if (seen >= Lines)
            {
                return (first.Value, clock.Elapsed);
            }
        }
    }

    private async Task BrowserAsync(StringBuilder report, CancellationToken ct)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var baseAddress = host.DashboardAddress;

        // Latency: a node app writes "lat <i> <Date.now()>" every 50 ms; the page notes when each first appears in the DOM.
        var (latencyProject, latencyDeployment) = await SeedAsync(ct);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString() });
        await page.GotoAsync($"projects/{latencyProject}");
        await OpenRuntimeLogsAsync(page);
        await page.EvaluateAsync("""
            () => {
              window.__latencies = {};
              const list = document.querySelector("[data-testid=runtime-log]");
              new MutationObserver(() => {
                const now = Date.now();
                for (const m of list.innerText.matchAll(/lat (\d+) (\d+)/g)) {
                  if (!(m[1] in window.__latencies)) window.__latencies[m[1]] = now - Number(m[2]);
                }
              }).observe(list, { childList: true, subtree: true, characterData: true });
            }
            """);
        await StartAsync(latencyProject, latencyDeployment, BaseImages.Node,
            ["node", "-e", "let i = 0; const t = setInterval(() => { console.log(`lat ${++i} ${Date.now()}`); if (i === 200) clearInterval(t); }, 50); setTimeout(() => {}, 600000);"], ct);
        var latencies = await WaitForAsync(page, "() => Object.values(window.__latencies)", values => values.Length >= 200, ct);
        Array.Sort(latencies);
        var p50 = latencies[latencies.Length / 2];
        var p95 = latencies[(int)Math.Ceiling(latencies.Length * 0.95) - 1];
        report.AppendLine(CultureInfo.InvariantCulture, $"Write → browser latency over {latencies.Length} lines (one every 50 ms): p50 **{p50:F0} ms**, p95 **{p95:F0} ms** (goal p95 ≤ 250 ms).").AppendLine();
        Console.WriteLine($"  latency p50 {p50:F0} ms, p95 {p95:F0} ms");
        await page.CloseAsync();

        // DOM size: 100,000 lines arrive live while the page follows the end.
        var (domProject, domDeployment) = await SeedAsync(ct);
        page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = baseAddress.ToString() });
        await page.GotoAsync($"projects/{domProject}");
        await OpenRuntimeLogsAsync(page);
        await StartAsync(domProject, domDeployment, BaseImages.Busybox,
            ["sh", "-c", $"sleep 2; i=1; while [ $i -le {Lines} ]; do echo \"line $i\"; i=$((i+1)); done; exec sleep 600"], ct);
        await page.GetByTestId("runtime-log").GetByText($"line {Lines}", new() { Exact = true }).WaitForAsync(new() { Timeout = 180_000 });
        var nodes = await page.EvaluateAsync<int>("() => document.querySelector('[data-testid=runtime-log]').getElementsByTagName('*').length");
        var pageNodes = await page.EvaluateAsync<int>("() => document.getElementsByTagName('*').length");
        report.AppendLine(CultureInfo.InvariantCulture, $"DOM after {Lines:N0} lines: **{nodes:N0}** elements in the log list, {pageNodes:N0} on the whole page (goal ≤ 1,400).").AppendLine();
        Console.WriteLine($"  DOM: {nodes} elements in the list, {pageNodes} on the page");
        await page.CloseAsync();
    }

    private static async Task OpenRuntimeLogsAsync(IPage page)
    {
        // Clicks on a prerendered page do nothing until the circuit is up; the layout renders this marker once it is.
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await page.Locator(".mud-tab", new() { HasText = "Runtime logs" }).ClickAsync();
        try
        {
            await page.GetByTestId("runtime-log").WaitForAsync(new() { Timeout = 60_000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new() { Path = "/tmp/minipaas-bench-logs.png", FullPage = true });
            throw;
        }
    }

    private static async Task<double[]> WaitForAsync(IPage page, string expression, Func<double[], bool> done, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            var values = await page.EvaluateAsync<double[]>(expression);
            if (done(values) || DateTime.UtcNow > deadline)
            {
                return values;
            }

            await Task.Delay(500, ct);
        }
    }

    private Task<(long ProjectId, long DeploymentId)> SeedAsync(CancellationToken ct) => _seeded.SeedAsync("bench-logs", ct);

    private Task<string> StartAsync(long projectId, long deploymentId, string image, IList<string> command, CancellationToken ct) =>
        _seeded.StartAsync(projectId, deploymentId, image, command, ct);
}
