using Microsoft.Playwright;
using static MiniPaas.Benchmarks.Suites.Findings;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>
/// Dashboard cost (issue 8, item 5): memory per open dashboard tab = (server memory with N interactive tabs on a project
/// page − without) ÷ N, managed heap after a full collection and RSS. Each tab is its own browser context, so its own
/// Blazor circuit. MiniPaas runs in this process, so the managed heap is its own plus the idle harness's, which cancels out.
/// </summary>
/// <remarks>
/// Hooks left for work not merged yet: <c>RendersPerSecondUnderFlood</c> (≤ 10 renders/s per circuit while the log viewer
/// is flooded) needs the live logs page of the logs issue — count render batches per circuit with a
/// <c>CircuitHandler</c> while a test source writes lines as fast as it can; <c>SamplerCpu</c> (≤ 2 % of a core for 20
/// containers) needs the stats sampler — read the process's CPU time (<see cref="ProcessCpu"/>) over a minute with 20
/// idle containers, sampler on versus off, interleaved.
/// </remarks>
public sealed class DashboardSuite(MiniPaasHost host, MiniPaasPath miniPaas, Findings findings, Action<string> log)
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const int Tabs = 20;

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public async Task RunAsync(CancellationToken ct)
    {
        if (!File.Exists(ChromiumPath))
        {
            findings.Target("Memory per dashboard tab", "≤ 500 KB", "–", null, $"no Chromium at {ChromiumPath}");
            return;
        }

        using var repo = await SampleRepo.CreateAsync(SampleApp.BusyboxDockerfile.Files("dashboard"), ct);
        await miniPaas.DeployAsync(repo, "dashboard", ct);
        var projectId = host.Get<MiniPaas.Core.Ingress.IRouteTable>().Find(miniPaas.LastSubdomain!)!.ProjectId;
        var url = $"http://127.0.0.1:{host.DashboardPort}/projects/{projectId}";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArgs });

        // The project page, then the smallest page (the layout only: circuit + MudBlazor providers) to show what the page adds.
        var project = await PerTabAsync(browser, url, ct);
        var layoutOnly = await PerTabAsync(browser, $"http://127.0.0.1:{host.DashboardPort}/not-found", ct);
        log(Invariant($"  {Tabs} tabs: project page managed +{project.Managed:F0} KiB, RSS +{project.Resident:F0} KiB per tab; layout only +{layoutOnly.Managed:F0} / +{layoutOnly.Resident:F0} KiB"));
        findings.Target(
            "Memory per open dashboard tab (project page)",
            "≤ 500 KB",
            Invariant($"{project.Managed:F0} KiB managed, {project.Resident:F0} KiB RSS per tab ({Tabs} tabs)"),
            project.Managed * 1.024 <= 500,
            Invariant($"a tab on the layout-only page (circuit, SignalR connection, MudBlazor providers) costs {layoutOnly.Managed:F0} KiB managed by itself; the logs and analytics pages of the issue are not merged yet. RSS includes memory the server GC keeps after collecting"));
        findings.Target("Renders/s per circuit under a log flood", "≤ 10", "–", null, "hook in DashboardSuite: needs the live log viewer (logs issue)");
        findings.Target("Stats sampler CPU, 20 containers", "≤ 2 % of a core", "–", null, "hook in DashboardSuite: needs the stats sampler (stats issue)");
        await miniPaas.CleanupAsync(ct);
    }

    private static async Task<(double Managed, double Resident)> PerTabAsync(IBrowser browser, string url, CancellationToken ct)
    {
        // One tab opened and closed first: JIT, component types and caches are paid before the baseline.
        var warmUp = await OpenAsync(browser, url);
        await warmUp.CloseAsync();
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        var (managedBefore, rssBefore) = Measure();
        var contexts = new List<IBrowserContext>();
        for (var i = 0; i < Tabs; i++)
        {
            contexts.Add(await OpenAsync(browser, url));
        }

        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var (managedAfter, rssAfter) = Measure();
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        return ((managedAfter - managedBefore) / Tabs / 1024.0, (rssAfter - rssBefore) / Tabs / 1024.0);
    }

    private static async Task<IBrowserContext> OpenAsync(IBrowser browser, string url)
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        return context;
    }

    private static (long Managed, long Resident) Measure()
    {
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return (managed, self.WorkingSet64);
    }
}
