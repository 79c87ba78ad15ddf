using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;

namespace MiniPaas.Web.Api.Contracts;

/// <summary>A deployment. <see cref="Status"/> is the lower-case lifecycle name (queued, cloning, building, starting, running, failed, stopped, superseded, crashed).</summary>
/// <param name="Url">Where it answers while it is the live deployment; otherwise null.</param>
/// <param name="DurationSeconds">From start of the build until healthy (or finished); null while unknown.</param>
public sealed record DeploymentDto(
    long Id,
    long ProjectId,
    string Status,
    string? CommitSha,
    string? CommitMessage,
    string Trigger,
    string? TriggeredBy,
    string? FailureReason,
    string? Url,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? HealthyAt,
    DateTimeOffset? FinishedAt,
    double? DurationSeconds,
    string? DetectedStack,
    long? RollbackOf,
    int? ExitCode,
    bool CanRollback)
{
    public static string StatusName(DeploymentStatus status) => status.ToString().ToLowerInvariant();

    /// <param name="liveUrl">The project's live URL; shown only on the deployment that is running.</param>
    internal static DeploymentDto From(DeploymentView d, string? liveUrl) => new(
        d.Id, d.ProjectId, StatusName(d.Status), d.CommitSha, d.CommitMessage, d.Trigger, d.TriggeredBy, d.FailureReason,
        d.Status == DeploymentStatus.Running ? liveUrl : null,
        d.CreatedAt, d.StartedAt, d.HealthyAt, d.FinishedAt, d.Duration?.TotalSeconds, d.DetectedStack, d.RollbackOfDeploymentId, d.ExitCode,
        d.CanRollback);
}
