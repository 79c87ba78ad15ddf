using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Persistence;
using Octokit;

namespace MiniPaas.Core.GitHub.Webhooks;

/// <summary>Creates the push webhook on GitHub with the project's owner's token, when MiniPaas knows its public URL.</summary>
public sealed class WebhookInstaller(
    IDbContextFactory<MiniPaasDbContext> dbFactory,
    WebhookSecrets secrets,
    GitHubUsers users,
    GitHubApiClientFactory clients,
    IOptionsMonitor<GitHubOptions> options)
{
    public const string WebhookPath = "/webhooks/github";

    /// <summary>The address GitHub posts to, or null without <see cref="GitHubOptions.PublicUrl"/>.</summary>
    public Uri? PayloadUrl => string.IsNullOrWhiteSpace(options.CurrentValue.PublicUrl)
        ? null
        : new Uri(new Uri(options.CurrentValue.PublicUrl.TrimEnd('/') + "/"), WebhookPath.TrimStart('/'));

    /// <summary>Creates the hook (a new secret is generated and stored encrypted); returns null on success, else a message.</summary>
    public async Task<string?> CreateAsync(long projectId, long userId, CancellationToken ct = default)
    {
        if (PayloadUrl is not { } payloadUrl)
        {
            return "Set MiniPaas:GitHub:PublicUrl to the address GitHub can reach; until then, use branch polling.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, ct).ConfigureAwait(false);
        if (project is null)
        {
            return "The project does not exist.";
        }

        if (OwnerAndName(project.SourceUrl) is not var (owner, name))
        {
            return "The project's repository is not on the configured GitHub host.";
        }

        var token = await users.GetAccessTokenAsync(userId, ct).ConfigureAwait(false);
        if (token is null)
        {
            return "No GitHub token is stored for you; connect with GitHub again.";
        }

        var secret = await secrets.GenerateAsync(projectId, ct: ct).ConfigureAwait(false);
        try
        {
            var config = new Dictionary<string, string>
            {
                ["url"] = payloadUrl.ToString(),
                ["content_type"] = "json",
                ["secret"] = secret,
                ["insecure_ssl"] = "0",
            };
            var hook = await clients.Create(token).Repository.Hooks
                .Create(owner, name, new NewRepositoryHook("web", config) { Events = ["push"], Active = true })
                .ConfigureAwait(false);
            await secrets.SetHookIdAsync(projectId, hook.Id, ct).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException)
        {
            await secrets.RemoveAsync(projectId, ct).ConfigureAwait(false);
            return GitHubApiClientFactory.Describe(ex);
        }
    }

    /// <summary>owner/name of a repository on the configured GitHub host, or null.</summary>
    public (string Owner, string Name)? OwnerAndName(string sourceUrl)
    {
        if (!Uri.TryCreate(sourceUrl, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var host = options.CurrentValue.GitHost;
        if (!string.Equals(uri.Host, host.Host, StringComparison.OrdinalIgnoreCase) || uri.Port != host.Port)
        {
            return null;
        }

        var parts = uri.AbsolutePath.Trim('/').Split('/');
        if (parts.Length != 2)
        {
            return null;
        }

        var name = parts[1].EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? parts[1][..^4] : parts[1];
        return (parts[0], name);
    }
}
