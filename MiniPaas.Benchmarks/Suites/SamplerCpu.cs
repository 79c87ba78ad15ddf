using System.Diagnostics;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Analytics.Stats;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>The stats sampler's CPU, as % of one core: median over rounds of (process CPU with it on − off) ÷ wall time.</summary>
public sealed record SamplerCost(double MedianPercent, IReadOnlyList<(double On, double Off)> Rounds, double SamplesPerTick, TimeSpan Interval);

/// <summary>
/// CPU of the container stats sampler for <paramref name="containerCount"/> running containers: the containers (busybox,
/// sleeping, labelled as this MiniPaas's deployments) run throughout; the sampler (the real hosted service, at its default
/// interval) is stopped and started in interleaved windows (off, on, off, on …) and this process's CPU time is read over each.
/// Everything else MiniPaas does with those containers (the log attacher follows them) is in both windows and cancels out. The
/// engine's own work answering the stats calls is in dockerd, not here, and is not counted.
/// </summary>
public sealed class SamplerCpu(MiniPaasHost host, SeededContainers containers, int containerCount, Action<string> log)
{
    private const int Rounds = 3;
    private const int TicksPerWindow = 3;

    public async Task<SamplerCost> MeasureAsync(CancellationToken ct)
    {
        var sampler = host.Get<ContainerStatsSampler>();
        var interval = host.Get<IOptions<ContainerStatsOptions>>().Value.Interval;
        // A window starts with the sampler's start (its first tick is immediate) and ends before its next-but-last tick.
        var window = interval * TicksPerWindow - TimeSpan.FromSeconds(1);
        var started = new List<string>();
        for (var i = 0; i < containerCount; i++)
        {
            var (projectId, deploymentId) = await containers.SeedAsync("bench-stats", ct);
            started.Add(await containers.StartAsync(projectId, deploymentId, BaseImages.Busybox, ["sleep", "3600"], ct));
        }

        using var stopCounting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        long samples = 0;
        var counting = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in host.Get<ContainerStatsFeed>().WatchAllAsync(stopCounting.Token))
                {
                    Interlocked.Add(ref samples, batch.Items.Count);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);

        var rounds = new List<(double On, double Off)>();
        try
        {
            // Let the log attacher pick the containers up and the sampler store its first (baseline) readings.
            await Task.Delay(interval + TimeSpan.FromSeconds(2), ct);
            await sampler.StopAsync(ct);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            long samplesOn = 0;
            for (var round = 0; round < Rounds; round++)
            {
                var off = await CpuPercentAsync(window, ct);
                var samplesBefore = Interlocked.Read(ref samples);
                await sampler.StartAsync(ct);
                var on = await CpuPercentAsync(window, ct);
                await sampler.StopAsync(ct);
                samplesOn += Interlocked.Read(ref samples) - samplesBefore;
                rounds.Add((on, off));
                log(Invariant($"  sampler round {round + 1}: on {on:F2} %, off {off:F2} % of a core"));
            }

            return new SamplerCost(Findings.Median(rounds.Select(r => r.On - r.Off)), rounds, samplesOn / (double)(Rounds * TicksPerWindow), interval);
        }
        finally
        {
            await stopCounting.CancelAsync();
            await counting;
            // Back to how the host runs normally.
            await sampler.StartAsync(CancellationToken.None);
            foreach (var id in started)
            {
                await containers.RemoveAsync(id);
            }
        }
    }

    private static async Task<double> CpuPercentAsync(TimeSpan window, CancellationToken ct)
    {
        var cpuBefore = ProcessCpu.Self();
        var clock = Stopwatch.StartNew();
        await Task.Delay(window, ct);
        return (ProcessCpu.Self() - cpuBefore).TotalMilliseconds / clock.Elapsed.TotalMilliseconds * 100;
    }

    private static string Invariant(FormattableString value) => Findings.Invariant(value);
}
