using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Analytics.Stats;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>The stats sampler's CPU, as % of one core: median over rounds of (process CPU with it on − off) ÷ wall time.</summary>
public sealed record SamplerCost(double MedianPercent, IReadOnlyList<(double On, double Off)> Rounds, double SamplesPerTick, TimeSpan Interval);

/// <summary>
/// CPU of the container stats sampler for <paramref name="containerCount"/> running containers: the containers (busybox,
/// sleeping, labelled as this MiniPaas's deployments) run throughout; a second <see cref="ContainerStatsSampler"/> built from
/// the host's own services and options (so its default interval) is started and stopped in interleaved windows (off, on, off,
/// on …) and this process's CPU time is read over each. Everything else MiniPaas does meanwhile (its own sampler, the log
/// attacher following the containers) is in both windows and cancels out. (The host's sampler cannot be the one switched: a
/// hosted service stopped while the host runs counts as failed and stops the host.) The engine's own work answering the
/// stats calls is in dockerd, not here, and is not counted.
/// </summary>
public sealed class SamplerCpu(MiniPaasHost host, SeededContainers containers, int containerCount, Action<string> log)
{
    private const int Rounds = 3;
    private const int TicksPerWindow = 3;

    public async Task<SamplerCost> MeasureAsync(CancellationToken ct)
    {
        using var sampler = ActivatorUtilities.CreateInstance<ContainerStatsSampler>(host.Services);
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
            // Let the log attacher pick the containers up; one short run pays this sampler's first (baseline-less) readings. Then
            // a settling pause: in earlier runs the first "off" window still paid for the 20 new containers (up to 5 % of a core).
            await sampler.StartAsync(ct);
            await Task.Delay(interval + TimeSpan.FromSeconds(2), ct);
            await sampler.StopAsync(ct);
            await Task.Delay(interval * 2, ct);
            // Samples the measured sampler stored = samples published in its "on" window − in the "off" window (the host's own).
            long extraSamples = 0;
            for (var round = 0; round < Rounds; round++)
            {
                var atStart = Interlocked.Read(ref samples);
                var off = await CpuPercentAsync(window, ct);
                var afterOff = Interlocked.Read(ref samples);
                await sampler.StartAsync(ct);
                var on = await CpuPercentAsync(window, ct);
                await sampler.StopAsync(ct);
                extraSamples += Interlocked.Read(ref samples) - afterOff - (afterOff - atStart);
                rounds.Add((on, off));
                log(Invariant($"  sampler round {round + 1}: on {on:F2} %, off {off:F2} % of a core"));
            }

            return new SamplerCost(Findings.Median(rounds.Select(r => r.On - r.Off)), rounds, extraSamples / (double)(Rounds * TicksPerWindow), interval);
        }
        finally
        {
            await stopCounting.CancelAsync();
            await counting;
            await sampler.StopAsync(CancellationToken.None);
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
