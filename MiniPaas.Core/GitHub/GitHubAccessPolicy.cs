using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace MiniPaas.Core.GitHub;

/// <summary>
/// Who may use the dashboard: GitHub users named in <c>AllowedUsers</c> (login or numeric id), or members of an
/// organisation in <c>AllowedOrgs</c> (asked from GitHub with the user's token, remembered for a few minutes).
/// </summary>
public sealed class GitHubAccessPolicy(IOptionsMonitor<GitHubOptions> options, GitHubApiClientFactory clients, TimeProvider timeProvider)
{
    private static readonly TimeSpan OrgCacheLifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<long, (DateTimeOffset At, IReadOnlyList<string> Orgs)> _orgs = new();

    public bool IsListedUser(long gitHubId, string login)
    {
        var id = gitHubId.ToString(CultureInfo.InvariantCulture);
        return options.CurrentValue.AllowedUserList.Any(u => string.Equals(u, login, StringComparison.OrdinalIgnoreCase) || u == id);
    }

    public async Task<bool> IsAllowedAsync(long gitHubId, string login, string? accessToken, CancellationToken ct = default)
    {
        if (IsListedUser(gitHubId, login))
        {
            return true;
        }

        var allowedOrgs = options.CurrentValue.AllowedOrgList;
        if (allowedOrgs.Count == 0 || string.IsNullOrEmpty(accessToken))
        {
            return false;
        }

        var orgs = await GetOrgsAsync(gitHubId, accessToken, ct).ConfigureAwait(false);
        return orgs.Any(o => allowedOrgs.Contains(o, StringComparer.OrdinalIgnoreCase));
    }

    private async Task<IReadOnlyList<string>> GetOrgsAsync(long gitHubId, string accessToken, CancellationToken ct)
    {
        var now = timeProvider.GetUtcNow();
        if (_orgs.TryGetValue(gitHubId, out var cached) && now - cached.At < OrgCacheLifetime)
        {
            return cached.Orgs;
        }

        ct.ThrowIfCancellationRequested();
        var orgs = (await clients.Create(accessToken).Organization.GetAllForCurrent().ConfigureAwait(false)).Select(o => o.Login).ToArray();
        _orgs[gitHubId] = (now, orgs);
        return orgs;
    }
}
