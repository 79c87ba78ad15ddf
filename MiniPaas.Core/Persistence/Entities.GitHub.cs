namespace MiniPaas.Core.Persistence;

/// <summary>GitHub state of one project: its webhook secret (encrypted) and what the branch poller last saw.</summary>
public sealed class ProjectGitHubRecord
{
    public long ProjectId { get; set; }
    /// <summary>Webhook secret, encrypted with Data Protection; shown once when generated, never logged.</summary>
    public string? EncryptedWebhookSecret { get; set; }
    /// <summary>Id of the hook MiniPaas created on GitHub, when it did.</summary>
    public long? HookId { get; set; }
    /// <summary>Branch head seen by the last poll.</summary>
    public string? LastPolledSha { get; set; }
    public DateTimeOffset? LastPolledAt { get; set; }
    /// <summary>Why the last poll failed, for the project page; null after a good poll.</summary>
    public string? LastPollError { get; set; }
}

/// <summary>A webhook delivery accepted once (<c>X-GitHub-Delivery</c> is unique), so GitHub's retries never deploy twice.</summary>
public sealed class GitHubDeliveryRecord
{
    public required string DeliveryId { get; set; }
    public required string Event { get; set; }
    public long? ProjectId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>What was done: "deployed", "ignored: …", "pong".</summary>
    public string? Outcome { get; set; }
}

/// <summary>
/// One automatic deployment per (project, commit): the webhook and the poller both claim a commit here first, and only
/// the claim that inserts the row deploys (the unique key makes that safe under concurrency).
/// </summary>
public sealed class AutoDeployClaimRecord
{
    public long ProjectId { get; set; }
    public required string CommitSha { get; set; }
    /// <summary>"webhook" or "poll".</summary>
    public required string Trigger { get; set; }
    public long? DeploymentId { get; set; }
    public DateTimeOffset ClaimedAt { get; set; }
}
