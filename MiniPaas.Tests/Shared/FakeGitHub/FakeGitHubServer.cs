using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Networking;

namespace MiniPaas.Tests.Shared.FakeGitHub;

/// <summary>
/// A GitHub stand-in on a loopback port: OAuth authorize page (with an Authorize button), token endpoint with PKCE,
/// the REST API under <c>/api/v3/</c> (user, orgs, paged repositories with Link headers, branches, hooks) and git over
/// smart HTTP from local bare repositories, private ones only with a valid token.
/// </summary>
public sealed partial class FakeGitHubServer : IAsyncDisposable
{
    public const string ClientId = "fake-client-id";
    public const string ClientSecret = "fake-client-secret";

    private readonly ConcurrentDictionary<string, FakeUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, FakeRepo> _repos = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, FakeUser> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (FakeUser User, string RedirectUri, string? Challenge, string Scope)> _codes = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private long _nextId = 1000;

    private FakeGitHubServer(WebApplication app, int port, string root)
    {
        _app = app;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        RepositoryRoot = root;
    }

    public Uri BaseAddress { get; }

    /// <summary>Folder holding the bare repositories as <c>owner/name.git</c>.</summary>
    public string RepositoryRoot { get; }

    /// <summary>Who the authorize page signs in when its button is pressed.</summary>
    public FakeUser? ApprovingUser { get; set; }

    /// <summary>Most items per page of a list, whatever <c>per_page</c> asks (so tests see several pages).</summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>When set, API calls answer 403 with GitHub's rate-limit headers.</summary>
    public bool IsRateLimited { get; set; }

    public ConcurrentQueue<FakeAuthorizeRequest> AuthorizeRequests { get; } = new();

    public ConcurrentQueue<FakeHook> Hooks { get; } = new();

    /// <summary>Every request line (method, path and query) the server saw.</summary>
    public ConcurrentQueue<string> RequestLog { get; } = new();

    /// <summary>Every access token issued.</summary>
    public IReadOnlyCollection<string> IssuedTokens => _tokens.Keys.ToArray();

    public string ApiBaseUrl => BaseAddress + "api/v3/";

    public static async Task<FakeGitHubServer> StartAsync()
    {
        var port = LoopbackPort.Free();
        var root = Path.Combine(Path.GetTempPath(), "minipaas-fakegh-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = root });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new FakeGitHubServer(app, port, root);
        server.Map(app);
        await app.StartAsync();
        return server;
    }

    /// <summary>MiniPaas settings pointing every GitHub endpoint at this server.</summary>
    public void ApplySettings(IDictionary<string, string?> settings, string allowedUsers, string? allowedOrgs = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["MiniPaas:GitHub:ClientId"] = ClientId;
        settings["MiniPaas:GitHub:ClientSecret"] = ClientSecret;
        settings["MiniPaas:GitHub:AllowedUsers"] = allowedUsers;
        settings["MiniPaas:GitHub:AllowedOrgs"] = allowedOrgs;
        settings["MiniPaas:GitHub:ApiBaseUrl"] = ApiBaseUrl;
        settings["MiniPaas:GitHub:AuthorizationEndpoint"] = BaseAddress + "login/oauth/authorize";
        settings["MiniPaas:GitHub:TokenEndpoint"] = BaseAddress + "login/oauth/access_token";
        settings["MiniPaas:GitHub:UserInformationEndpoint"] = ApiBaseUrl + "user";
    }

    public FakeUser AddUser(string login, string? name = null, params string[] orgs)
    {
        var user = new FakeUser(Interlocked.Increment(ref _nextId), login, name, orgs);
        _users[login] = user;
        return user;
    }

    /// <summary>A token for <paramref name="user"/> without going through the browser flow.</summary>
    public string IssueToken(FakeUser user)
    {
        var token = "gho_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        _tokens[token] = user;
        return token;
    }

    /// <summary>Publishes <paramref name="source"/> (a local repository) as <c>owner/name</c>.</summary>
    public async Task<FakeRepo> AddRepoAsync(string owner, string name, string source, bool isPrivate = false, bool isOrganization = false, string defaultBranch = "main", params string[] collaborators)
    {
        var bare = Path.Combine(RepositoryRoot, owner, name + ".git");
        Directory.CreateDirectory(Path.GetDirectoryName(bare)!);
        await GitAsync(null, "clone", "--quiet", "--bare", source, bare);
        var repo = new FakeRepo(Interlocked.Increment(ref _nextId), owner, name, isPrivate, isOrganization, defaultBranch, bare, collaborators);
        _repos[repo.FullName] = repo;
        return repo;
    }

    /// <summary>An empty-history listing entry (no git content), for paging tests with many repositories.</summary>
    public FakeRepo AddListingOnlyRepo(string owner, string name, bool isPrivate = false)
    {
        var repo = new FakeRepo(Interlocked.Increment(ref _nextId), owner, name, isPrivate, false, "main", "", []);
        _repos[repo.FullName] = repo;
        return repo;
    }

    /// <summary>Pushes <paramref name="source"/>'s HEAD to the fake repository's <paramref name="branch"/>.</summary>
    public static Task PushAsync(FakeRepo repo, string source, string branch = "main") =>
        GitAsync(source, "push", "--quiet", "--force", repo.BarePath, "HEAD:refs/heads/" + branch);

    public string CloneUrl(FakeRepo repo) => $"{BaseAddress}{repo.Owner}/{repo.Name}.git";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(RepositoryRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<string> GitAsync(string? workingDirectory, params string[] args)
    {
        var command = Cli.Wrap("git").WithArguments(args).WithValidation(CommandResultValidation.None);
        if (workingDirectory is not null)
        {
            command = command.WithWorkingDirectory(workingDirectory);
        }

        var result = await command.ExecuteBufferedAsync();
        return result.ExitCode == 0 ? result.StandardOutput : throw new InvalidOperationException($"git {string.Join(' ', args)}: {result.StandardError}");
    }

    private void Map(WebApplication app)
    {
        app.Use((context, next) =>
        {
            RequestLog.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            return next(context);
        });
        app.MapGet("/login/oauth/authorize", AuthorizePage);
        app.MapPost("/login/oauth/authorize", ApproveAsync);
        app.MapPost("/login/oauth/access_token", TokenAsync);
        app.MapGet("/avatars/{id}.png", () => Results.Bytes(Convert.FromBase64String(OnePixelPng), "image/png"));
        MapApi(app);
        app.Map("/{owner}/{repo}.git/{**rest}", ServeGitAsync);
    }

    private IResult AuthorizePage(HttpRequest request)
    {
        string Q(string name) => request.Query[name].FirstOrDefault() ?? "";
        if (Q("client_id") != ClientId)
        {
            return Results.Text("Unknown client_id", statusCode: 404);
        }

        AuthorizeRequests.Enqueue(new FakeAuthorizeRequest(Q("client_id"), Q("redirect_uri"), Q("state"), Q("scope"), request.Query["code_challenge"], request.Query["code_challenge_method"]));
        var user = ApprovingUser;
        string Hidden(string name) => $"<input type=\"hidden\" name=\"{name}\" value=\"{HtmlEncoder.Default.Encode(Q(name))}\">";
        var html = $"""
            <!DOCTYPE html><html><head><title>Authorize application</title></head><body>
            <h1>Authorize MiniPaas</h1><p>Signed in to the fake GitHub as <b>{HtmlEncoder.Default.Encode(user?.Login ?? "nobody")}</b>; scopes: {HtmlEncoder.Default.Encode(Q("scope"))}</p>
            <form method="post" action="/login/oauth/authorize">
            {Hidden("redirect_uri")}{Hidden("state")}{Hidden("scope")}{Hidden("code_challenge")}
            <button type="submit">Authorize</button></form></body></html>
            """;
        return Results.Content(html, "text/html");
    }

    private async Task<IResult> ApproveAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var user = ApprovingUser ?? throw new InvalidOperationException("Set ApprovingUser before signing in.");
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var redirect = form["redirect_uri"].ToString();
        _codes[code] = (user, redirect, form["code_challenge"].FirstOrDefault(), form["scope"].ToString());
        var separator = redirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{redirect}{separator}code={code}&state={Uri.EscapeDataString(form["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Results.Json(new { error = "incorrect_client_credentials" }, statusCode: 401);
        }

        // Codes are single-use, as on GitHub.
        if (!_codes.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"])
        {
            return Results.Json(new { error = "bad_verification_code" }, statusCode: 400);
        }

        var verifier = form["code_verifier"].ToString();
        var expected = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (grant.Challenge is null || expected != grant.Challenge)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "PKCE verification failed" }, statusCode: 400);
        }

        return Results.Json(new { access_token = IssueToken(grant.User), token_type = "bearer", scope = grant.Scope });
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private FakeUser? Authenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.FirstOrDefault();
        if (header is null)
        {
            return null;
        }

        var parts = header.Split(' ', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            return null;
        }

        if (parts[0].Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1]));
            var password = decoded[(decoded.IndexOf(':', StringComparison.Ordinal) + 1)..];
            return _tokens.GetValueOrDefault(password);
        }

        return parts[0].Equals("token", StringComparison.OrdinalIgnoreCase) || parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            ? _tokens.GetValueOrDefault(parts[1])
            : null;
    }

    private static bool CanSee(FakeUser user, FakeRepo repo) =>
        !repo.IsPrivate || string.Equals(repo.Owner, user.Login, StringComparison.OrdinalIgnoreCase)
        || repo.Collaborators.Contains(user.Login, StringComparer.OrdinalIgnoreCase)
        || (repo.IsOrganization && user.Orgs.Contains(repo.Owner, StringComparer.OrdinalIgnoreCase));

    private async Task ServeGitAsync(HttpContext context, string owner, string repo, string? rest)
    {
        if (!_repos.TryGetValue($"{owner}/{repo}", out var found) || found.BarePath.Length == 0)
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (found.IsPrivate)
        {
            var user = Authenticated(context.Request);
            if (user is null || !CanSee(user, found))
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"fake GitHub\"";
                return;
            }

            context.Items["fake-user"] = user.Login;
        }

        await FakeGitHttpBackend.ServeAsync(context, RepositoryRoot, $"/{found.Owner}/{found.Name}.git/{rest}");
    }

    private const string OnePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static JsonSerializerOptions Json { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
