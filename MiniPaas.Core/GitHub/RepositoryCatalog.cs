using MiniPaas.Core.Building;
using MiniPaas.Core.Git;
using Octokit;

namespace MiniPaas.Core.GitHub;

/// <summary>A repository the signed-in user can deploy.</summary>
public sealed record RepositorySummary(
    long Id, string Owner, string Name, string FullName, bool IsPrivate, bool IsOrganization, string DefaultBranch, string CloneUrl, string? Description);

/// <summary>A branch and its head.</summary>
public sealed record BranchSummary(string Name, string HeadSha);

/// <summary>The outcome of a GitHub call: a value, or a message for a person (rate limit, refused token, unreachable...).</summary>
public sealed record GitHubResult<T>(T? Value, string? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>The repository picker's data: the user's repositories (every page, org repositories included), branches, stack.</summary>
public sealed class RepositoryCatalog(GitHubUsers users, GitHubApiClientFactory clients, IGitClient git, StackDetector detector)
{
    /// <summary>Upper bound on pages read (100 repositories each), so a huge account cannot stall the picker.</summary>
    public const int MaxPages = 20;

    public async Task<GitHubResult<IReadOnlyList<RepositorySummary>>> ListRepositoriesAsync(long userId, CancellationToken ct = default)
    {
        var token = await users.GetAccessTokenAsync(userId, ct).ConfigureAwait(false);
        if (token is null)
        {
            return new(null, "No GitHub token is stored for you; connect with GitHub again.");
        }

        try
        {
            // Octokit follows the Link headers page by page.
            var repositories = await clients.Create(token).Repository
                .GetAllForCurrent(new RepositoryRequest { Sort = RepositorySort.Updated }, new ApiOptions { PageSize = 100, PageCount = MaxPages })
                .ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            return new(repositories.Select(ToSummary).ToArray(), null);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new(null, GitHubApiClientFactory.Describe(ex));
        }
    }

    public async Task<GitHubResult<IReadOnlyList<BranchSummary>>> ListBranchesAsync(long userId, string owner, string name, CancellationToken ct = default)
    {
        var token = await users.GetAccessTokenAsync(userId, ct).ConfigureAwait(false);
        if (token is null)
        {
            return new(null, "No GitHub token is stored for you; connect with GitHub again.");
        }

        try
        {
            var branches = await clients.Create(token).Repository.Branch.GetAll(owner, name, new ApiOptions { PageSize = 100, PageCount = MaxPages }).ConfigureAwait(false);
            return new(branches.Select(b => new BranchSummary(b.Name, b.Commit?.Sha ?? "")).ToArray(), null);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new(null, GitHubApiClientFactory.Describe(ex));
        }
    }

    /// <summary>Shallow-clones the branch with the user's token into a scratch folder and detects the stack; the folder is removed.</summary>
    public async Task<GitHubResult<DetectedStack>> DetectStackAsync(long userId, string cloneUrl, string branch, CancellationToken ct = default)
    {
        var token = await users.GetAccessTokenAsync(userId, ct).ConfigureAwait(false);
        var folder = Path.Combine(Path.GetTempPath(), "minipaas-detect-" + Guid.NewGuid().ToString("N"));
        try
        {
            var credentials = token is null ? null : new GitCredentials(GitHubOwnerCredentials.TokenUserName, token);
            await git.CloneAsync(cloneUrl, branch, commitSha: null, folder, credentials, progress: null, ct).ConfigureAwait(false);
            return new(detector.Detect(folder), null);
        }
        catch (GitException ex)
        {
            return new(null, ex.Message);
        }
        catch (StackNotDetectedException ex)
        {
            return new(null, ex.Message);
        }
        catch (Checkouts.CheckoutFileRefusedException ex)
        {
            // A Dockerfile linked out of the checkout: the same message the deployment would fail with.
            return new(null, ex.Message);
        }
        finally
        {
            await WorkspaceDirectory.DeleteTreeAsync(folder, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static RepositorySummary ToSummary(Repository r) => new(
        r.Id,
        r.Owner?.Login ?? "",
        r.Name,
        r.FullName,
        r.Private,
        r.Owner?.Type == AccountType.Organization,
        string.IsNullOrEmpty(r.DefaultBranch) ? "main" : r.DefaultBranch,
        r.CloneUrl,
        r.Description);
}
