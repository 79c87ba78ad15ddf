using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Projects;

/// <summary>A deployment as the dashboard shows it.</summary>
public sealed record DeploymentView(
    long Id,
    long ProjectId,
    DeploymentStatus Status,
    string? FailureReason,
    string Trigger,
    string? TriggeredBy,
    string? CommitSha,
    string? CommitMessage,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? HealthyAt,
    string? ImageTag,
    string? DetectedStack,
    long? RollbackOfDeploymentId,
    int? ExitCode)
{
    /// <summary>It ran successfully once and its image still exists, so it can be served again.</summary>
    public bool CanRollback => HealthyAt is not null && ImageTag is not null && Status != DeploymentStatus.Running;

    public TimeSpan? Duration => StartedAt is { } start && (HealthyAt ?? FinishedAt) is { } end ? end - start : null;

    public string ShortSha => CommitSha is { Length: > 7 } ? CommitSha[..7] : CommitSha ?? "";

    internal static DeploymentView From(DeploymentRecord d) => new(
        d.Id, d.ProjectId, d.Status, d.FailureReason, d.Trigger, d.TriggeredBy, d.CommitSha, d.CommitMessage,
        d.CreatedAt, d.StartedAt, d.FinishedAt, d.HealthyAt, d.ImageTag, d.DetectedStack, d.RollbackOfDeploymentId, d.ExitCode);
}

/// <summary>A project with its settings and current state, as the dashboard shows it.</summary>
public sealed record ProjectView(
    long Id,
    string Name,
    string Subdomain,
    string SourceUrl,
    string Branch,
    string RootDirectory,
    string? DockerfilePath,
    int? PortOverride,
    string? HealthCheckPath,
    double? CpuLimit,
    long? MemoryLimitMiB,
    bool AutoDeploy,
    DateTimeOffset CreatedAt,
    DeploymentView? Live,
    DeploymentView? Latest)
{
    /// <summary>Where the live deployment answers, or null when nothing is live.</summary>
    public string? LiveUrl { get; init; }
}
