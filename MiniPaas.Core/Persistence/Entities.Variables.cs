namespace MiniPaas.Core.Persistence;

/// <summary>
/// The latest scan of a project's repository for variables it needs (one row per project, replaced by each scan): what
/// was found, in which commit, and what triggered the scan. Keys already set or dismissed are filtered when read.
/// </summary>
public sealed class VariableScanRecord
{
    public long ProjectId { get; set; }
    public required string CommitSha { get; set; }
    /// <summary>"created" (the project was created), "deploy" (a deployment's checkout) or "manual".</summary>
    public required string Trigger { get; set; }
    public DateTimeOffset ScannedAt { get; set; }
    /// <summary>The suggestions as JSON (jsonb): key, proposed value, required, and every source (reason, file, line).</summary>
    public required string Suggestions { get; set; }
}
