using Docker.DotNet;
using Docker.DotNet.Models;
using MiniPaas.Core.Analytics.Stats;
using MiniPaas.Core.Building;

namespace MiniPaas.Core.Deploying.Docker;

/// <summary>
/// One-shot stats readings from the Docker engine. <c>stream=false</c> alone makes the engine wait ~1 s to fill its previous
/// CPU reading; with <c>one-shot=true</c> it answers at once and the sampler compares with its own previous reading instead.
/// </summary>
public sealed class DockerContainerStatsReader(DockerClientProvider clients) : IContainerStatsReader
{
    public async Task<EngineStats?> ReadAsync(string containerId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(containerId);
        ContainerStatsResponse? reading = null;
        try
        {
            await clients.GetClient().Containers.GetContainerStatsAsync(
                containerId,
                new ContainerStatsParameters { Stream = false, OneShot = true },
                new SynchronousProgress<ContainerStatsResponse>(r => reading = r),
                ct).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
        {
            return null;
        }
        catch (Exception ex) when (ex is DockerApiException || DockerErrors.IsTransport(ex))
        {
            throw new ContainerRuntimeException($"Could not read stats of container '{containerId}': {ex.GetBaseException().Message}", ex);
        }

        // A stopped container answers with an empty reading (no read time, zero counters).
        return reading is null || reading.Read == default || reading.CPUStats?.SystemUsage is null or 0 ? null : ToEngineStats(reading);
    }

    /// <summary>Maps the engine's reading to <see cref="EngineStats"/> (also used by tests on recorded JSON).</summary>
    internal static EngineStats ToEngineStats(ContainerStatsResponse reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var cpu = reading.CPUStats;
        var memory = reading.MemoryStats;
        return new EngineStats(
            new DateTimeOffset(DateTime.SpecifyKind(reading.Read, DateTimeKind.Utc)),
            Counters(cpu),
            Counters(reading.PreCPUStats),
            cpu?.OnlineCPUs ?? 0,
            cpu?.CPUUsage?.PercpuUsage?.Count ?? 0,
            memory?.Usage ?? 0,
            memory?.Limit ?? 0,
            new Dictionary<string, ulong>(memory?.Stats ?? new Dictionary<string, ulong>(), StringComparer.Ordinal),
            reading.Networks is { Count: > 0 } networks
                ? [.. networks.Select(n => new NetworkCounters(n.Key, n.Value.RxBytes, n.Value.TxBytes))]
                : null,
            [.. (reading.BlkioStats?.IoServiceBytesRecursive ?? []).Select(e => new BlockIoEntry(e.Op ?? string.Empty, e.Value))]);
    }

    private static CpuCounters Counters(CPUStats? stats) =>
        new(stats?.CPUUsage?.TotalUsage ?? 0, stats?.SystemUsage ?? 0);
}
