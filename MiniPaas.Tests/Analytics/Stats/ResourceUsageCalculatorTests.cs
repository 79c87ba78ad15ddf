using Docker.DotNet.Models;
using MiniPaas.Core.Analytics.Stats;
using MiniPaas.Core.Deploying.Docker;
using Newtonsoft.Json;

namespace MiniPaas.Tests.Analytics.Stats;

public sealed class ResourceUsageCalculatorTests
{
    private static EngineStats Parse(string json) =>
        DockerContainerStatsReader.ToEngineStats(JsonConvert.DeserializeObject<ContainerStatsResponse>(json)!);

    [Fact]
    public void Compute_RecordedCgroupV1BusyLoop_CpuFromEnginePreviousReadingAndShmCountedAsUsed()
    {
        var usage = ResourceUsageCalculator.Compute(Parse(RecordedStats.CgroupV1BusyLoop));

        // (4048182628 − 3045100604) ÷ (49947390000000 − 49945370000000) × 2 CPUs × 100: one CPU fully busy.
        Assert.Equal(1_003_082_024d / 2_020_000_000d * 2 * 100, usage.CpuPercent!.Value, precision: 6);
        Assert.InRange(usage.CpuPercent.Value, 95, 101);
        // total_inactive_file is 0: the 20 MB in /dev/shm stay "used" although v1 reports them as cache (subtracting
        // "cache" would claim the container uses 60 KB).
        Assert.Equal(20_582_400, usage.MemoryUsedBytes);
        Assert.Equal(134_217_728, usage.MemoryLimitBytes);
        Assert.Null(usage.NetworkRxBytes); // host network: no own interfaces
        Assert.Null(usage.NetworkTxBytes);
        Assert.Equal(0, usage.BlockReadBytes);
        Assert.Equal(0, usage.BlockWriteBytes);
    }

    [Fact]
    public void Compute_CgroupV2Reading_SubtractsInactiveFileAndSumsNetworksAndBlockIo()
    {
        var stats = Parse(RecordedStats.CgroupV2WithNetworks);
        var usage = ResourceUsageCalculator.Compute(stats);

        // 0.5 s of CPU over 4 s of host CPU time (4 CPUs × 1 s) = half of one CPU.
        Assert.Equal(50, usage.CpuPercent!.Value, precision: 6);
        Assert.Equal(157_286_400 - 47_185_920, usage.MemoryUsedBytes);
        Assert.Equal(268_435_456, usage.MemoryLimitBytes);
        Assert.Equal(1_048_576 + 4_096, usage.NetworkRxBytes);
        Assert.Equal(2_097_152 + 1_024, usage.NetworkTxBytes);
        Assert.Equal(4_096_000, usage.BlockReadBytes);
        Assert.Equal(8_192_000, usage.BlockWriteBytes);
        Assert.Equal(0, stats.PerCpuCount);
        Assert.Equal(4u, stats.OnlineCpus);
    }

    [Fact]
    public void Compute_OneShotReadingWithoutBaseline_HasNoCpuButMemory()
    {
        var oneShot = Parse(RecordedStats.CgroupV1BusyLoop) with { PreviousCpu = default };

        var usage = ResourceUsageCalculator.Compute(oneShot);

        Assert.Null(usage.CpuPercent);
        Assert.Equal(20_582_400, usage.MemoryUsedBytes);
    }

    [Fact]
    public void Compute_OneShotReadingWithSamplerBaseline_ComparesWithBaseline()
    {
        var stats = Parse(RecordedStats.CgroupV1BusyLoop);
        var oneShot = stats with { PreviousCpu = default };
        // The sampler's previous reading 2 s of wall time earlier: 2 CPUs × 2 s of host time, 1 s of container time.
        var baseline = new CpuCounters(stats.Cpu.ContainerUsage - 1_000_000_000, stats.Cpu.SystemUsage - 4_000_000_000);

        var usage = ResourceUsageCalculator.Compute(oneShot, baseline);

        Assert.Equal(50, usage.CpuPercent!.Value, precision: 6);
    }

    [Fact]
    public void Compute_CounterWentBackwards_NoCpuRatherThanNonsense()
    {
        var stats = Parse(RecordedStats.CgroupV1BusyLoop) with { PreviousCpu = default };
        // The container restarted: its cumulative counter starts from zero again.
        var baseline = new CpuCounters(stats.Cpu.ContainerUsage + 1, stats.Cpu.SystemUsage - 1_000_000_000);

        Assert.Null(ResourceUsageCalculator.Compute(stats, baseline).CpuPercent);
    }

    [Fact]
    public void Compute_NoPerCpuCountFromEngine_FallsBackToPerCpuEntries()
    {
        var stats = Parse(RecordedStats.CgroupV1BusyLoop) with { OnlineCpus = 0 };

        Assert.Equal(2, stats.PerCpuCount);
        Assert.InRange(ResourceUsageCalculator.Compute(stats).CpuPercent!.Value, 95, 101);
    }

    [Theory]
    [InlineData(9_223_372_036_854_771_712UL)] // cgroup v1 "unlimited"
    [InlineData(0UL)]
    public void Compute_UnlimitedMemory_HasNoLimit(ulong limit)
    {
        var stats = Parse(RecordedStats.CgroupV1BusyLoop) with { MemoryLimit = limit };

        Assert.Null(ResourceUsageCalculator.Compute(stats).MemoryLimitBytes);
    }

    [Fact]
    public void MemoryUsed_OldEngineWithOnlyCache_SubtractsCache()
    {
        var used = ResourceUsageCalculator.MemoryUsed(100_000, new Dictionary<string, ulong> { ["cache"] = 30_000 });

        Assert.Equal(70_000, used);
    }

    [Fact]
    public void MemoryUsed_V1HasBothKeys_UsesHierarchicalTotal()
    {
        // v1 memory.stat has both the cgroup's own inactive_file and the hierarchical total_inactive_file.
        var stats = new Dictionary<string, ulong> { ["inactive_file"] = 10, ["total_inactive_file"] = 40_000, ["cache"] = 90_000 };

        Assert.Equal(60_000, ResourceUsageCalculator.MemoryUsed(100_000, stats));
    }

    [Fact]
    public void MemoryUsed_ReclaimableAboveUsage_ReportsUsage()
    {
        Assert.Equal(1_000, ResourceUsageCalculator.MemoryUsed(1_000, new Dictionary<string, ulong> { ["inactive_file"] = 5_000 }));
    }
}
