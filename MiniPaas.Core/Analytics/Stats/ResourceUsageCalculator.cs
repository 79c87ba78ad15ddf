namespace MiniPaas.Core.Analytics.Stats;

/// <summary>
/// Turns a raw engine reading into CPU %, memory in use and I/O totals, the way <c>docker stats</c> does, for cgroup v1 and v2.
/// </summary>
public static class ResourceUsageCalculator
{
    // Unlimited cgroups report the largest page-aligned int64 (v1) or, through some engines, values of that order; nobody
    // has 1 EiB of memory, so anything above this is "no limit".
    private const ulong UnlimitedThreshold = 1UL << 60;

    /// <summary>
    /// Computes the usage of <paramref name="current"/>. CPU compares it with the engine's own previous reading when present,
    /// else with <paramref name="baseline"/> (the caller's previous one-shot reading of the same container).
    /// </summary>
    public static ResourceUsage Compute(EngineStats current, CpuCounters? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        var previous = current.PreviousCpu.IsPresent ? current.PreviousCpu : baseline;
        return new ResourceUsage(
            previous is { IsPresent: true } p ? CpuPercent(current, p) : null,
            MemoryUsed(current.MemoryUsage, current.MemoryStats),
            current.MemoryLimit is > 0 and < UnlimitedThreshold ? (long)current.MemoryLimit : null,
            current.Networks is { } rx ? Sum(rx.Select(n => n.RxBytes)) : null,
            current.Networks is { } tx ? Sum(tx.Select(n => n.TxBytes)) : null,
            Sum(current.BlockIo.Where(e => e.Operation.Equals("read", StringComparison.OrdinalIgnoreCase)).Select(e => e.Bytes)),
            Sum(current.BlockIo.Where(e => e.Operation.Equals("write", StringComparison.OrdinalIgnoreCase)).Select(e => e.Bytes)));
    }

    /// <summary>
    /// Δ container CPU time ÷ Δ host CPU time × online CPUs × 100. The host counter sums every CPU, so the ratio is a share
    /// of the whole machine; multiplying by the CPU count gives "percent of one CPU". Null when the counters did not advance
    /// (same reading twice) or went backwards (container restarted: its counter starts again from zero).
    /// </summary>
    internal static double? CpuPercent(EngineStats current, CpuCounters previous)
    {
        var now = current.Cpu;
        if (now.SystemUsage <= previous.SystemUsage || now.ContainerUsage < previous.ContainerUsage)
        {
            return null;
        }

        var cpus = current.OnlineCpus > 0 ? current.OnlineCpus : (uint)Math.Max(current.PerCpuCount, 1);
        var containerDelta = (double)(now.ContainerUsage - previous.ContainerUsage);
        var systemDelta = (double)(now.SystemUsage - previous.SystemUsage);
        return containerDelta / systemDelta * cpus * 100.0;
    }

    /// <summary>
    /// Usage minus the inactive file cache, which the kernel reclaims before it would OOM-kill. cgroup v1 reports the
    /// hierarchical <c>total_inactive_file</c> (older engines only <c>cache</c>); v2 reports <c>inactive_file</c>. v1 also has
    /// a non-hierarchical <c>inactive_file</c>, so the v1 key is looked at first. tmpfs/shm pages count as cache but are not
    /// inactive file pages, so data a process keeps in /dev/shm stays counted as used, as it should.
    /// </summary>
    internal static long MemoryUsed(ulong usage, IReadOnlyDictionary<string, ulong> stats)
    {
        ulong reclaimable;
        if (stats.TryGetValue("total_inactive_file", out var v1Inactive))
        {
            reclaimable = v1Inactive;
        }
        else if (stats.TryGetValue("inactive_file", out var v2Inactive))
        {
            reclaimable = v2Inactive;
        }
        else if (stats.TryGetValue("cache", out var cache))
        {
            reclaimable = cache;
        }
        else
        {
            reclaimable = 0;
        }

        return (long)(reclaimable < usage ? usage - reclaimable : usage);
    }

    private static long Sum(IEnumerable<ulong> values)
    {
        ulong total = 0;
        foreach (var value in values)
        {
            total += value;
        }

        return (long)Math.Min(total, long.MaxValue);
    }
}
