namespace MiniPaas.Core.Persistence;

/// <summary>How many runtime log lines of a deployment were dropped (over the project's rate limit or a full buffer), so the viewer can say so.</summary>
public sealed class RuntimeLogDropRecord
{
    public long DeploymentId { get; set; }
    public long ProjectId { get; set; }
    public long Dropped { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
