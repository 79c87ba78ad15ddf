using System.Globalization;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MiniPaas.Tests.Shared.FakeGitHub;

/// <summary>The REST API part of the fake, under <c>/api/v3/</c> as GitHub Enterprise serves it (and as Octokit expects for non-github.com hosts).</summary>
public sealed partial class FakeGitHubServer
{
    private void MapApi(WebApplication app)
    {
        var api = app.MapGroup("/api/v3");
        api.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (IsRateLimited)
            {
                http.Response.Headers["X-RateLimit-Limit"] = "5000";
                http.Response.Headers["X-RateLimit-Remaining"] = "0";
                http.Response.Headers["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                return Results.Json(new { message = "API rate limit exceeded for user.", documentation_url = "https://docs.github.com/rest/rate-limit" }, statusCode: 403);
            }

            if (Authenticated(http.Request) is not { } user)
            {
                return Results.Json(new { message = "Requires authentication" }, statusCode: 401);
            }

            http.Items["fake-api-user"] = user;
            return await next(context);
        });

        api.MapGet("/user", (HttpContext http) => Results.Json(UserJson(ApiUser(http)), Json));
        api.MapGet("/user/orgs", (HttpContext http) =>
            Results.Json(ApiUser(http).Orgs.Select((o, i) => new { login = o, id = 5000 + i, url = ApiBaseUrl + "orgs/" + o }), Json));
        api.MapGet("/user/repos", (HttpContext http) =>
        {
            var user = ApiUser(http);
            var visible = _repos.Values
                .Where(r => string.Equals(r.Owner, user.Login, StringComparison.OrdinalIgnoreCase) || CanSeeAsMember(user, r))
                .OrderBy(r => r.FullName, StringComparer.OrdinalIgnoreCase)
                .ToList();
            return Page(http, visible.Select(RepoJson).ToList());
        });
        api.MapGet("/repos/{owner}/{repo}/branches", async (HttpContext http, string owner, string repo) =>
        {
            if (!_repos.TryGetValue($"{owner}/{repo}", out var found) || !CanSee(ApiUser(http), found))
            {
                return Results.Json(new { message = "Not Found" }, statusCode: 404);
            }

            var refs = found.BarePath.Length == 0 ? "" : (await Cli.Wrap("git")
                .WithArguments(["for-each-ref", "refs/heads", "--format=%(refname:short) %(objectname)"])
                .WithWorkingDirectory(found.BarePath).ExecuteBufferedAsync()).StandardOutput;
            var branches = refs.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' '))
                .Select(p => (object)new { name = p[0], commit = new { sha = p[1], url = $"{ApiBaseUrl}repos/{owner}/{repo}/commits/{p[1]}" }, @protected = false })
                .ToList();
            return Page(http, branches);
        });
        api.MapPost("/repos/{owner}/{repo}/hooks", async (HttpContext http, string owner, string repo) =>
        {
            if (!_repos.TryGetValue($"{owner}/{repo}", out var found) || !CanSee(ApiUser(http), found))
            {
                return Results.Json(new { message = "Not Found" }, statusCode: 404);
            }

            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var config = body.RootElement.GetProperty("config");
            var events = body.RootElement.TryGetProperty("events", out var e) ? e.EnumerateArray().Select(x => x.GetString()!).ToArray() : ["push"];
            var hook = new FakeHook(Interlocked.Increment(ref _nextId), owner, repo, config.GetProperty("url").GetString()!,
                config.TryGetProperty("secret", out var s) ? s.GetString() : null, events);
            Hooks.Enqueue(hook);
            var now = Iso(DateTimeOffset.UtcNow);
            return Results.Json(new
            {
                id = hook.Id, type = "Repository", name = "web", active = true, events,
                config = new { url = hook.Url, content_type = "json", insecure_ssl = "0" },
                created_at = now, updated_at = now, url = $"{ApiBaseUrl}repos/{owner}/{repo}/hooks/{hook.Id}",
                test_url = $"{ApiBaseUrl}repos/{owner}/{repo}/hooks/{hook.Id}/test", ping_url = $"{ApiBaseUrl}repos/{owner}/{repo}/hooks/{hook.Id}/pings",
            }, statusCode: 201);
        });
    }

    private static FakeUser ApiUser(HttpContext http) => (FakeUser)http.Items["fake-api-user"]!;

    private static bool CanSeeAsMember(FakeUser user, FakeRepo repo) =>
        repo.Collaborators.Contains(user.Login, StringComparer.OrdinalIgnoreCase)
        || user.Orgs.Contains(repo.Owner, StringComparer.OrdinalIgnoreCase);

    /// <summary>GitHub-style paging: <c>per_page</c> (capped by <see cref="MaxPageSize"/>) and <c>page</c>, with a Link header.</summary>
    private IResult Page(HttpContext http, List<object> items)
    {
        var query = http.Request.Query;
        var perPage = Math.Clamp(int.TryParse(query["per_page"], out var p) ? p : 30, 1, MaxPageSize);
        var page = Math.Max(1, int.TryParse(query["page"], out var n) ? n : 1);
        var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var links = new List<string>();
        string Url(int target)
        {
            var parameters = query.Where(q => q.Key is not "page" and not "per_page").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append($"per_page={perPage}").Append($"page={target}");
            return $"{BaseAddress.ToString().TrimEnd('/')}{http.Request.Path}?{string.Join('&', parameters)}";
        }

        if (page < last)
        {
            links.Add($"<{Url(page + 1)}>; rel=\"next\"");
            links.Add($"<{Url(last)}>; rel=\"last\"");
        }

        if (page > 1)
        {
            links.Add($"<{Url(1)}>; rel=\"first\"");
            links.Add($"<{Url(page - 1)}>; rel=\"prev\"");
        }

        if (links.Count > 0)
        {
            http.Response.Headers.Link = string.Join(", ", links);
        }

        return Results.Json(items.Skip((page - 1) * perPage).Take(perPage).ToList(), Json);
    }

    private object UserJson(FakeUser user) => new
    {
        login = user.Login,
        id = user.Id,
        node_id = "U_" + user.Id,
        name = user.Name,
        type = "User",
        avatar_url = $"{BaseAddress}avatars/{user.Id}.png",
        html_url = $"{BaseAddress}{user.Login}",
        url = $"{ApiBaseUrl}users/{user.Login}",
    };

    private object RepoJson(FakeRepo repo) => new
    {
        id = repo.Id,
        node_id = "R_" + repo.Id,
        name = repo.Name,
        full_name = repo.FullName,
        @private = repo.IsPrivate,
        visibility = repo.IsPrivate ? "private" : "public",
        owner = new { login = repo.Owner, id = repo.Id + 100000, type = repo.IsOrganization ? "Organization" : "User" },
        description = $"The {repo.Name} app",
        default_branch = repo.DefaultBranch,
        clone_url = CloneUrl(repo),
        html_url = $"{BaseAddress}{repo.Owner}/{repo.Name}",
        ssh_url = $"git@127.0.0.1:{repo.Owner}/{repo.Name}.git",
        url = $"{ApiBaseUrl}repos/{repo.FullName}",
        created_at = Iso(DateTimeOffset.UtcNow.AddDays(-30)),
        updated_at = Iso(DateTimeOffset.UtcNow),
        pushed_at = Iso(DateTimeOffset.UtcNow),
    };
}
