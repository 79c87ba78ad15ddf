namespace MiniPaas.Core.Persistence;

/// <summary>A person who signed in (GitHub) or the local owner.</summary>
public sealed class UserRecord
{
    public long Id { get; set; }
    public long? GitHubId { get; set; }
    public required string Login { get; set; }
    public string? Name { get; set; }
    public string? AvatarUrl { get; set; }
    /// <summary>GitHub access token, encrypted with Data Protection; never logged.</summary>
    public string? EncryptedAccessToken { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }
}

/// <summary>A deployable app: a git source and how to build and run it.</summary>
public sealed class ProjectRecord
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Subdomain { get; set; }
    /// <summary>Git URL (https, ssh, git, file) or local folder path.</summary>
    public required string SourceUrl { get; set; }
    public string Branch { get; set; } = "main";
    /// <summary>Folder inside the repo holding the app (monorepos); empty = root.</summary>
    public string RootDirectory { get; set; } = "";
    /// <summary>Dockerfile path relative to the root directory; null = <c>Dockerfile</c> if present, else generated.</summary>
    public string? DockerfilePath { get; set; }
    public int? PortOverride { get; set; }
    public string? HealthCheckPath { get; set; }
    public double? CpuLimit { get; set; }
    public long? MemoryLimitMiB { get; set; }
    public bool AutoDeploy { get; set; }
    public long? OwnerId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<DeploymentRecord> Deployments { get; } = [];
}

/// <summary>Lifecycle of a deployment.</summary>
public enum DeploymentStatus
{
    Queued,
    Cloning,
    Building,
    Starting,
    Running,
    Failed,
    Stopped,
    Superseded,
    Crashed,
}

/// <summary>One attempt to build and run a project at one commit.</summary>
public sealed class DeploymentRecord
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public ProjectRecord? Project { get; set; }
    public DeploymentStatus Status { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>What started it: "manual", "redeploy", "rollback", "webhook", "poll", "api".</summary>
    public string Trigger { get; set; } = "manual";
    public string? TriggeredBy { get; set; }
    public string? CommitSha { get; set; }
    public string? CommitMessage { get; set; }
    public string? ImageTag { get; set; }
    public string? ContainerId { get; set; }
    public string? ContainerName { get; set; }
    /// <summary>Where the ingress reaches the container: "127.0.0.1:41234" (host) or "172.18.0.5:8080" (bridge).</summary>
    public string? Upstream { get; set; }
    public string? GeneratedDockerfile { get; set; }
    public string? DetectedStack { get; set; }
    /// <summary>Deployment whose image this one reuses (rollback / redeploy without rebuild).</summary>
    public long? RollbackOfDeploymentId { get; set; }
    public int? ExitCode { get; set; }
    public int RestartCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>When the container first passed its health check; only such deployments can be rolled back to.</summary>
    public DateTimeOffset? HealthyAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>An environment variable of a project; the value is encrypted at rest.</summary>
public sealed class EnvVarRecord
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public required string Key { get; set; }
    public required string EncryptedValue { get; set; }
    /// <summary>Also passed to the image build as a build argument (<c>ARG</c>); every variable reaches the container's Env.</summary>
    public bool IsBuildTime { get; set; }
    /// <summary>Masked in logs, failure reasons and the UI (until revealed); plain configuration values are not.</summary>
    public bool IsSecret { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Who changed which variable of a project, and when; never the value.</summary>
public sealed class EnvVarAuditRecord
{
    public long Id { get; set; }
    public long ProjectId { get; set; }
    public required string Key { get; set; }
    /// <summary>"created", "updated", "deleted", or "dismissed" (a suggestion the user does not want to see again).</summary>
    public required string Action { get; set; }
    /// <summary>Who made the change (a login, "owner", "api").</summary>
    public required string Actor { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>A line of build output. <see cref="Seq"/> is global and monotonic, assigned in-process by a <see cref="MiniPaas.Core.Events.SequenceGenerator"/> seeded from the table at start-up.</summary>
public sealed class BuildLogRecord
{
    public long Seq { get; set; }
    public long DeploymentId { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public required string Line { get; set; }
    public bool IsError { get; set; }
}

/// <summary>A line a running container wrote.</summary>
public sealed class RuntimeLogRecord
{
    public long Seq { get; set; }
    public long ProjectId { get; set; }
    public long DeploymentId { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    /// <summary>"stdout" or "stderr".</summary>
    public required string Stream { get; set; }
    /// <summary>Detected level: trace, debug, info, warn, error, fatal, or null.</summary>
    public string? Level { get; set; }
    public required string Line { get; set; }
}

/// <summary>The one row naming this MiniPaas installation; its id labels every container so two installations sharing an engine never touch each other's.</summary>
public sealed class InstallationRecord
{
    public int Id { get; set; }
    public Guid InstanceId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
