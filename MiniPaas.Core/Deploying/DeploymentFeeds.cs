using MiniPaas.Core.Events;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Deploying;

/// <summary>A deployment moved to a new status; published per project.</summary>
public sealed record DeploymentStatusChanged(
    long Seq,
    long ProjectId,
    long DeploymentId,
    DeploymentStatus Status,
    string? FailureReason,
    DateTimeOffset At) : ISequenced;

/// <summary>Live deployment status changes, topic = project id.</summary>
public sealed class DeploymentStatusFeed() : EventFeed<long, DeploymentStatusChanged>(subscriberCapacity: 1_000);

/// <summary>One line of a deployment's build log (clone, build and start output).</summary>
public sealed record BuildLogLine(long Seq, long DeploymentId, DateTimeOffset Timestamp, string Text, bool IsError) : ISequenced;

/// <summary>Live build log lines, topic = deployment id.</summary>
public sealed class BuildLogFeed() : EventFeed<long, BuildLogLine>(subscriberCapacity: 20_000);
