using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.GitHub.Webhooks;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.GitHub;

/// <summary>With a public URL configured, MiniPaas creates the push hook on GitHub through Octokit with a fresh secret.</summary>
public sealed class WebhookInstallerTests(GitHubAppFixture app) : IClassFixture<GitHubAppFixture>
{
    [Fact]
    public async Task CreateAsync_PublicUrlKnown_CreatesHookWhoseSecretVerifiesDeliveries()
    {
        using var source = await SampleRepo.CreateAsync(new Dictionary<string, string> { ["index.html"] = "hooked" });
        var repo = await app.GitHub.AddRepoAsync("octocat", "hook-me", source.Path);
        using var client = new SignInClient(app.BaseAddress);
        using var signedIn = await client.SignInAsync(app.GitHub, app.Octocat);
        await using var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(app.DatabaseConnectionString));
        var userId = (await db.Users.SingleAsync(u => u.GitHubId == app.Octocat.Id)).Id;
        var created = await app.Get<ProjectService>().CreateAsync(new ProjectSpec("hook-me", "hook-me", app.GitHub.CloneUrl(repo)));
        var projectId = created.ProjectId!.Value;

        var error = await app.Get<WebhookInstaller>().CreateAsync(projectId, userId);

        Assert.Null(error);
        var hook = Assert.Single(app.GitHub.Hooks, h => h.Repo == "hook-me");
        Assert.Equal(GitHubAppFixture.PublicUrl + "webhooks/github", hook.Url);
        Assert.Equal(["push"], hook.Events);
        Assert.False(string.IsNullOrEmpty(hook.Secret));
        var state = await db.ProjectGitHub.AsNoTracking().SingleAsync(p => p.ProjectId == projectId);
        Assert.Equal(hook.Id, state.HookId);
        Assert.DoesNotContain(hook.Secret!, state.EncryptedWebhookSecret!, StringComparison.Ordinal);

        // GitHub's first delivery is a ping signed with that secret.
        const string ping = """{"zen":"Design for failure.","hook_id":1}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/github", UriKind.Relative)) { Content = new StringContent(ping, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "ping");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Compute(Encoding.UTF8.GetBytes(ping), Encoding.UTF8.GetBytes(hook.Secret!)));
        using var http = app.CreateClient();
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
    }
}
