namespace MiniPaas.Core.Git;

/// <summary>The commit a checkout landed on.</summary>
public sealed record CheckoutResult(string CommitSha, string CommitMessage);

/// <summary>Credentials for a private repository; passed to git without appearing in argv, logs or errors.</summary>
public sealed record GitCredentials(string Username, string Password);

/// <summary>git through CliWrap (argument arrays, never a shell).</summary>
public interface IGitClient
{
    /// <summary>Shallow-clones one branch (optionally a specific commit) into <paramref name="targetDirectory"/>.</summary>
    /// <param name="progress">Receives git's progress and output lines.</param>
    Task<CheckoutResult> CloneAsync(
        string sourceUrl,
        string branch,
        string? commitSha,
        string targetDirectory,
        GitCredentials? credentials,
        IProgress<string>? progress,
        CancellationToken ct = default);

    /// <summary>The commit SHA the branch points to on the remote (<c>git ls-remote</c>).</summary>
    Task<string?> GetRemoteHeadAsync(string sourceUrl, string branch, GitCredentials? credentials, CancellationToken ct = default);
}
