namespace MiniPaas.Core.Persistence;

/// <summary>One resource reading of one container (see <c>Analytics/Stats</c>); bytes are cumulative where the engine's are.</summary>
public sealed class ContainerStatsSampleRecord
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public long? DeploymentId { get; set; }
    public required string ContainerId { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    /// <summary>Percent of one CPU; null for a first reading without a baseline.</summary>
    public double? CpuPercent { get; set; }
    public long MemoryUsedBytes { get; set; }
    public long? MemoryLimitBytes { get; set; }
    public long? NetworkRxBytes { get; set; }
    public long? NetworkTxBytes { get; set; }
    public long BlockReadBytes { get; set; }
    public long BlockWriteBytes { get; set; }
}
