namespace MiniPaas.Core.Git;

/// <summary>What went wrong with a git operation, for the UI to react to.</summary>
public enum GitFailure
{
    /// <summary>The URL, branch or commit was refused before git ran.</summary>
    InvalidInput,
    BranchNotFound,
    CommitNotFound,
    AccessDenied,
    HostUnreachable,

    /// <summary>The checkout grew past <c>MiniPaas:Builder:MaxCloneBytes</c>; git was stopped.</summary>
    TooLarge,

    /// <summary>git took longer than <c>MiniPaas:Builder:CloneTimeout</c>; it was stopped.</summary>
    TimedOut,
    Other,
}

/// <summary>
/// A git operation failed. <see cref="Exception.Message"/> is a sentence for a person; <see cref="Details"/> is the tail of
/// git's output. Both have credentials redacted.
/// </summary>
public sealed class GitException : Exception
{
    public GitException()
    {
    }

    public GitException(string message)
        : base(message)
    {
    }

    public GitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GitException(GitFailure failure, string message, string? details = null, int? exitCode = null)
        : base(message)
    {
        Failure = failure;
        Details = details;
        ExitCode = exitCode;
    }

    public GitFailure Failure { get; } = GitFailure.Other;

    /// <summary>The last lines git wrote to stderr (redacted), or null.</summary>
    public string? Details { get; }

    public int? ExitCode { get; }
}
