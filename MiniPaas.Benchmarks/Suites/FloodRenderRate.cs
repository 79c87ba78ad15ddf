using System.Diagnostics;
using Microsoft.Playwright;
using MiniPaas.Core.Logs;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>Render batches per second that each circuit sent while its log viewer was flooded.</summary>
public sealed record FloodRenders(IReadOnlyList<double> PerTab, double LinesPerSecond)
{
    public double Median => Findings.Median(PerTab);

    public double Max => PerTab.Count == 0 ? double.NaN : PerTab.Max();
}

/// <summary>
/// Renders per circuit under a log flood: a container writes ~2,000 lines/s (the default per-project rate limit, so every line
/// reaches the viewers) while <paramref name="tabs"/> tabs show its runtime logs, following the end. Each tab counts the
/// render batches its circuit sends it: Blazor Server sends every batch as one <c>JS.RenderBatch</c> invocation over the
/// circuit's WebSocket, so the count comes from the frames the browser received (Playwright's WebSocket frame events), for
/// every component of the page (the viewer, Virtualize's own re-renders, the layout), not from a hook in the code measured.
/// </summary>
public sealed class FloodRenderRate(MiniPaasHost host, SeededContainers containers, IBrowser browser, int tabs)
{
    private static readonly byte[] RenderBatchTarget = "JS.RenderBatch"u8.ToArray();
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    // Bursts of 100 lines every 50 ms: about 2,000 lines/s on an idle machine, somewhat fewer on a loaded one.
    private static readonly string[] FloodCommand =
        ["sh", "-c", "n=0; while :; do i=0; while [ $i -lt 100 ]; do n=$((n+1)); i=$((i+1)); echo \"flood line $n GET /api/items 200 in 3 ms\"; done; usleep 50000; done"];

    public async Task<FloodRenders> MeasureAsync(string dashboardAddress, CancellationToken ct)
    {
        var (projectId, deploymentId) = await containers.SeedAsync("bench-flood", ct);
        var container = await containers.StartAsync(projectId, deploymentId, BaseImages.Busybox, FloodCommand, ct);
        var counters = new List<long[]>();
        var contexts = new List<IBrowserContext>();
        try
        {
            for (var i = 0; i < tabs; i++)
            {
                var (context, counter) = await OpenFollowingAsync($"{dashboardAddress}projects/{projectId}", ct);
                contexts.Add(context);
                counters.Add(counter);
            }

            // Lines reaching the viewers in the same window, read from the feed they read (not from a browser).
            using var stopCounting = CancellationTokenSource.CreateLinkedTokenSource(ct);
            long lines = 0;
            var counting = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in host.Get<RuntimeLogFeed>().WatchAsync(deploymentId, stopCounting.Token))
                    {
                        Interlocked.Add(ref lines, batch.Items.Count);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }, CancellationToken.None);

            var before = counters.Select(c => Interlocked.Read(ref c[0])).ToArray();
            var clock = Stopwatch.StartNew();
            await Task.Delay(Window, ct);
            var after = counters.Select(c => Interlocked.Read(ref c[0])).ToArray();
            var seconds = clock.Elapsed.TotalSeconds;
            await stopCounting.CancelAsync();
            await counting;
            return new FloodRenders([.. before.Zip(after, (b, a) => (a - b) / seconds)], Interlocked.Read(ref lines) / seconds);
        }
        finally
        {
            foreach (var context in contexts)
            {
                await context.CloseAsync();
            }

            await containers.RemoveAsync(container);
        }
    }

    private async Task<(IBrowserContext Context, long[] RenderBatches)> OpenFollowingAsync(string url, CancellationToken ct)
    {
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var counter = new long[1];
        page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
        {
            if (frame.Binary is { } payload)
            {
                Interlocked.Add(ref counter[0], Occurrences(payload, RenderBatchTarget));
            }
            else if (frame.Text is { } text)
            {
                Interlocked.Add(ref counter[0], Occurrences(System.Text.Encoding.UTF8.GetBytes(text), RenderBatchTarget));
            }
        };
        await page.GotoAsync(url);
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await page.Locator(".mud-tab", new() { HasText = "Runtime logs" }).ClickAsync();
        await page.GetByTestId("runtime-log").Locator("[data-testid=log-line]").First.WaitForAsync(new() { Timeout = 60_000 });
        ct.ThrowIfCancellationRequested();
        return (context, counter);
    }

    private static int Occurrences(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> needle)
    {
        var count = 0;
        int at;
        while ((at = payload.IndexOf(needle)) >= 0)
        {
            count++;
            payload = payload[(at + needle.Length)..];
        }

        return count;
    }
}
