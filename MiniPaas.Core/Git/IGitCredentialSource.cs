namespace MiniPaas.Core.Git;

/// <summary>Finds the credentials a project's clones and <c>ls-remote</c> calls use (e.g. its owner's GitHub token).</summary>
public interface IGitCredentialSource
{
    /// <returns>Credentials for <paramref name="sourceUrl"/>, or null to try without.</returns>
    Task<GitCredentials?> GetForProjectAsync(long? ownerId, string sourceUrl, CancellationToken ct = default);
}

/// <summary>Used until an area that holds credentials (GitHub) registers itself: every repository is cloned anonymously.</summary>
internal sealed class NoGitCredentials : IGitCredentialSource
{
    public Task<GitCredentials?> GetForProjectAsync(long? ownerId, string sourceUrl, CancellationToken ct = default) =>
        Task.FromResult<GitCredentials?>(null);
}
