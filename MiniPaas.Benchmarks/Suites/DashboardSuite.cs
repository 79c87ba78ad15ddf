using Docker.DotNet;
using Microsoft.Playwright;
using static MiniPaas.Benchmarks.Suites.Findings;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>
/// Dashboard cost (issue 8, item 5): memory per open tab on the live runtime logs tab and on the analytics page, with the
/// layout-only page as the floor (<see cref="TabMemory"/>); render batches per second per circuit while the log viewer is
/// flooded (<see cref="FloodRenderRate"/>); the stats sampler's CPU for 20 running containers (<see cref="SamplerCpu"/>).
/// </summary>
public sealed class DashboardSuite(MiniPaasHost host, MiniPaasPath miniPaas, BenchOptions options, Findings findings, Action<string> log)
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const int Tabs = 20;
    private const int FloodTabs = 5;
    private const int SampledContainers = 20;
    private const int HistoryLines = 1_000;

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public async Task RunAsync(CancellationToken ct)
    {
        using var docker = new DockerClientConfiguration(new Uri(options.DockerHost)).CreateClient();
        await using var containers = new SeededContainers(host, docker);
        // First, while no other app runs: then the sampler reads exactly these containers.
        var sampler = await new SamplerCpu(host, containers, SampledContainers, log).MeasureAsync(ct);
        log(Invariant($"  stats sampler, {SampledContainers} containers every {sampler.Interval.TotalSeconds:F0} s: {sampler.MedianPercent:F2} % of a core ({sampler.SamplesPerTick:F1} samples per tick)"));
        findings.Target(
            $"Stats sampler CPU, {SampledContainers} containers",
            "≤ 2 % of a core",
            Invariant($"{sampler.MedianPercent:F2} % of a core"),
            sampler.MedianPercent <= 2,
            Invariant($"process CPU with the sampler on − off, interleaved {sampler.Rounds.Count} × {sampler.Interval.TotalSeconds * 3 - 1:F0} s windows at its default {sampler.Interval.TotalSeconds:F0} s interval (on/off %: {string.Join(", ", sampler.Rounds.Select(r => Invariant($"{r.On:F2}/{r.Off:F2}")))}); {sampler.SamplesPerTick:F1} samples stored per tick; the engine's own work for the stats calls (dockerd) is not in it"));

        if (File.Exists(ChromiumPath))
        {
            await BrowserMeasuresAsync(containers, ct);
        }
        else
        {
            findings.Target("Memory per dashboard tab", "≤ 500 KB", "–", null, $"no Chromium at {ChromiumPath}");
            findings.Target("Renders/s per circuit under a log flood", "≤ 10", "–", null, $"no Chromium at {ChromiumPath}");
        }
    }

    private async Task BrowserMeasuresAsync(SeededContainers containers, CancellationToken ct)
    {
        // The analytics page of a deployed project with some traffic, and a quiet app whose runtime log holds a little history.
        using var repo = await SampleRepo.CreateAsync(SampleApp.BusyboxDockerfile.Files("dashboard"), ct);
        await miniPaas.DeployAsync(repo, "dashboard", ct);
        var subdomain = miniPaas.LastSubdomain!;
        var deployed = host.Get<MiniPaas.Core.Ingress.IRouteTable>().Find(subdomain)!.ProjectId;
        await SendTrafficAsync(subdomain, 300, ct);
        var (quietProject, quietDeployment) = await containers.SeedAsync("bench-quiet", ct);
        await containers.StartAsync(quietProject, quietDeployment, BaseImages.Busybox,
            ["sh", "-c", $"i=0; while [ $i -lt {HistoryLines} ]; do i=$((i+1)); echo \"history line $i GET /api/items 200 in 3 ms\"; done; exec sleep 3600"], ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });
        var dashboard = host.DashboardAddress.ToString();
        var tabs = new TabMemory(browser, Tabs, log);

        var logs = await tabs.MeasureAsync("logs", $"{dashboard}projects/{quietProject}", async page =>
        {
            await page.Locator(".mud-tab", new() { HasText = "Runtime logs" }).ClickAsync();
            await page.GetByTestId("runtime-log").GetByText($"history line {HistoryLines} ").WaitForAsync(new() { Timeout = 60_000 });
        }, ct);
        var analytics = await tabs.MeasureAsync("analytics", $"{dashboard}projects/{deployed}/analytics", page =>
            page.GetByTestId("analytics-requests-total").WaitForAsync(new() { Timeout = 60_000 }), ct);
        var layoutOnly = await tabs.MeasureAsync("layout", $"{dashboard}not-found", _ => Task.CompletedTask, ct);
        log(Invariant($"  {Tabs} tabs, managed / RSS per tab: runtime logs {logs.ManagedKiB:F0} / {logs.ResidentKiB:F0} KiB, analytics {analytics.ManagedKiB:F0} / {analytics.ResidentKiB:F0} KiB, layout only {layoutOnly.ManagedKiB:F0} / {layoutOnly.ResidentKiB:F0} KiB"));
        var worst = Math.Max(logs.ManagedKiB, analytics.ManagedKiB);
        findings.Target(
            "Memory per open dashboard tab (live logs, analytics)",
            "≤ 500 KB",
            Invariant($"logs tab {logs.ManagedKiB:F0} KiB, analytics {analytics.ManagedKiB:F0} KiB managed per tab ({Tabs} tabs; RSS {logs.ResidentKiB:F0} / {analytics.ResidentKiB:F0} KiB)"),
            worst * 1.024 <= 500,
            Invariant($"a tab on the layout-only page (circuit, SignalR connection, MudBlazor providers) costs {layoutOnly.ManagedKiB:F0} KiB managed by itself; the logs tab shows a runtime log with {HistoryLines:N0} lines of history. Per tab, most is Blazor render trees of MudBlazor components (two frame buffers per component, attribute tables) and, on the logs tab, the history lines; time charts are one SVG markup frame each (gcdump diffs: docs/benchmarks.md). RSS includes memory the server GC keeps after collecting"));

        var flood = await new FloodRenderRate(host, containers, browser, FloodTabs).MeasureAsync(dashboard, ct);
        log(Invariant($"  log flood ({flood.LinesPerSecond:F0} lines/s): render batches/s per circuit {string.Join(", ", flood.PerTab.Select(r => Invariant($"{r:F1}")))}"));
        findings.Target(
            "Renders/s per circuit under a log flood",
            "≤ 10",
            Invariant($"median {flood.Median:F1}/s, max {flood.Max:F1}/s ({FloodTabs} tabs, {flood.LinesPerSecond:F0} lines/s)"),
            flood.Median <= 10,
            "JS.RenderBatch messages each tab's WebSocket received over 20 s (every component of the page) while a container wrote to the log the tabs follow");
    }

    private async Task SendTrafficAsync(string subdomain, int requests, CancellationToken ct)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        for (var i = 0; i < requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{host.IngressPort}/?page={i % 20}"));
            request.Headers.Host = $"{subdomain}.localhost";
            request.Headers.UserAgent.ParseAdd($"bench-visitor-{i % 7}");
            using var response = await client.SendAsync(request, ct);
        }
    }
}
