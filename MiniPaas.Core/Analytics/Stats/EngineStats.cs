namespace MiniPaas.Core.Analytics.Stats;

/// <summary>
/// The raw counters of one stats reading of a container, as the engine reports them (cumulative CPU nanoseconds, bytes),
/// free of engine client types so the maths can be tested on recorded readings.
/// </summary>
/// <param name="ReadAt">When the engine took the reading.</param>
/// <param name="Cpu">The container's and the host's cumulative CPU time at <paramref name="ReadAt"/>.</param>
/// <param name="PreviousCpu">The engine's own previous reading (zero with one-shot stats, which skip it).</param>
/// <param name="OnlineCpus">CPUs online as the engine reports them; 0 when it did not (old engines: count per-CPU entries).</param>
/// <param name="PerCpuCount">Entries of the per-CPU usage list (cgroup v1 only), the fallback for <paramref name="OnlineCpus"/>.</param>
/// <param name="MemoryUsage">Memory charged to the cgroup, page cache included.</param>
/// <param name="MemoryLimit">The cgroup's limit (the host's memory when unlimited).</param>
/// <param name="MemoryStats">The cgroup's memory.stat keys (v1: <c>total_inactive_file</c>, <c>cache</c>…; v2: <c>inactive_file</c>, <c>anon</c>…).</param>
/// <param name="Networks">Per-interface cumulative bytes; null when the container has no own network namespace (host network).</param>
/// <param name="BlockIo">Cumulative block I/O entries (operation, bytes); v1 spells operations "Read"/"Write", v2 "read"/"write".</param>
public sealed record EngineStats(
    DateTimeOffset ReadAt,
    CpuCounters Cpu,
    CpuCounters PreviousCpu,
    uint OnlineCpus,
    int PerCpuCount,
    ulong MemoryUsage,
    ulong MemoryLimit,
    IReadOnlyDictionary<string, ulong> MemoryStats,
    IReadOnlyList<NetworkCounters>? Networks,
    IReadOnlyList<BlockIoEntry> BlockIo);

/// <summary>Cumulative CPU time in nanoseconds: the container's (<paramref name="ContainerUsage"/>) and the whole host's (<paramref name="SystemUsage"/>).</summary>
public readonly record struct CpuCounters(ulong ContainerUsage, ulong SystemUsage)
{
    /// <summary>True when the engine filled the reading (one-shot stats leave the previous one zero).</summary>
    public bool IsPresent => SystemUsage > 0;
}

/// <summary>Cumulative bytes received and sent on one interface.</summary>
public readonly record struct NetworkCounters(string Interface, ulong RxBytes, ulong TxBytes);

/// <summary>One block I/O counter: operation name and cumulative bytes.</summary>
public readonly record struct BlockIoEntry(string Operation, ulong Bytes);

/// <summary>What a reading means: CPU share, memory in use, cumulative network and block I/O.</summary>
/// <param name="CpuPercent">Percent of one CPU (200 = two CPUs busy); null without a baseline reading to compare with.</param>
/// <param name="MemoryUsedBytes">Memory in use, reclaimable page cache excluded (what <c>docker stats</c> shows).</param>
/// <param name="MemoryLimitBytes">The container's memory limit; null when unlimited.</param>
/// <param name="NetworkRxBytes">Cumulative bytes received over all interfaces; null on the host network.</param>
/// <param name="NetworkTxBytes">Cumulative bytes sent over all interfaces; null on the host network.</param>
/// <param name="BlockReadBytes">Cumulative bytes read from block devices.</param>
/// <param name="BlockWriteBytes">Cumulative bytes written to block devices.</param>
public sealed record ResourceUsage(
    double? CpuPercent,
    long MemoryUsedBytes,
    long? MemoryLimitBytes,
    long? NetworkRxBytes,
    long? NetworkTxBytes,
    long BlockReadBytes,
    long BlockWriteBytes);
