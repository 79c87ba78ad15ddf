using CliWrap;
using Microsoft.Playwright;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>What one open dashboard tab costs the server: managed heap after a full collection, and resident set.</summary>
public readonly record struct TabCost(double ManagedKiB, double ResidentKiB);

/// <summary>
/// Memory per open tab = (server memory with <paramref name="tabs"/> interactive tabs on a page − without) ÷ tabs. Each tab is
/// its own browser context, so its own Blazor circuit. MiniPaas runs in this process, so the managed heap is its own plus the
/// idle harness's, which cancels out. With <c>MINIPAAS_BENCH_GCDUMP</c> set to a folder, a <c>dotnet-gcdump</c> of this
/// process is written there before and after the tabs open (compare them with <c>dotnet-gcdump report</c>).
/// </summary>
public sealed class TabMemory(IBrowser browser, int tabs, Action<string> log)
{
    private static readonly string? GcDumpFolder = Environment.GetEnvironmentVariable("MINIPAAS_BENCH_GCDUMP");

    /// <param name="name">Short page name (dump file names).</param>
    /// <param name="ready">Waits until the page shows what is measured (interactive, data loaded, tab opened).</param>
    public async Task<TabCost> MeasureAsync(string name, string url, Func<IPage, Task> ready, CancellationToken ct)
    {
        // One tab opened and closed first: JIT, component types and caches are paid before the baseline.
        var warmUp = await OpenAsync(url, ready);
        await warmUp.CloseAsync();
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        var (managedBefore, rssBefore) = Measure();
        await DumpAsync(name + "-before", ct);
        var contexts = new List<IBrowserContext>();
        try
        {
            for (var i = 0; i < tabs; i++)
            {
                contexts.Add(await OpenAsync(url, ready));
            }

            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            var (managedAfter, rssAfter) = Measure();
            await DumpAsync(name + "-after", ct);
            return new TabCost((managedAfter - managedBefore) / tabs / 1024.0, (rssAfter - rssBefore) / tabs / 1024.0);
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.CloseAsync();
            }
        }
    }

    private async Task<IBrowserContext> OpenAsync(string url, Func<IPage, Task> ready)
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await ready(page);
        return context;
    }

    private static (long Managed, long Resident) Measure()
    {
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return (managed, self.WorkingSet64);
    }

    private async Task DumpAsync(string name, CancellationToken ct)
    {
        if (GcDumpFolder is null)
        {
            return;
        }

        Directory.CreateDirectory(GcDumpFolder);
        var file = Path.Combine(GcDumpFolder, name + ".gcdump");
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
        var result = await Cli.Wrap(tool)
            .WithArguments(["collect", "-p", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", file])
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(ct);
        log($"  gcdump {file}: exit {result.ExitCode}");
    }
}
