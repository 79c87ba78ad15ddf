using MiniPaas.Core.Events;

namespace MiniPaas.Core.Analytics.Stats;

/// <summary>
/// One stored reading of one container of a project. <see cref="Seq"/> is the row id, so a chart that loaded history up to
/// some id can skip live samples it already has.
/// </summary>
public sealed record ContainerStatsSample(
    long Seq,
    long ProjectId,
    long? DeploymentId,
    string ContainerId,
    DateTimeOffset Timestamp,
    double? CpuPercent,
    long MemoryUsedBytes,
    long? MemoryLimitBytes,
    long? NetworkRxBytes,
    long? NetworkTxBytes,
    long BlockReadBytes,
    long BlockWriteBytes) : ISequenced;

/// <summary>Live container stats samples, topic = project id.</summary>
public sealed class ContainerStatsFeed() : EventFeed<long, ContainerStatsSample>(subscriberCapacity: 1_000);
