using System.Net;
using System.Text;
using MiniPaas.Core.GitHub;
using MiniPaas.Core.GitHub.Webhooks;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Shared.FakeGitHub;
using MiniPaas.Tests.Shared.Fakes;

namespace MiniPaas.Tests.GitHub;

/// <summary>Push to deploy: the webhook endpoint over real HTTP, and branch polling.</summary>
public sealed partial class GitHubDeployTests
{
    private sealed record WebhookProject(long Id, string Subdomain, FakeRepo Repo, SampleRepo Source, string Secret) : IDisposable
    {
        public void Dispose() => Source.Dispose();
    }

    /// <summary>An auto-deploy project on a fake GitHub repository with a webhook secret (so the poller leaves it alone).</summary>
    private async Task<WebhookProject> CreateWebhookProjectAsync(string content)
    {
        var source = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite(content));
        var repo = await app.GitHub.AddRepoAsync("octocat", Unique("hooked"), source.Path);
        var subdomain = Unique("hook");
        // Auto-deploy is turned on only after the secret exists, so no poll can see the project first.
        var id = await CreateAsync(subdomain, app.GitHub.CloneUrl(repo));
        var secret = await app.Get<WebhookSecrets>().GenerateAsync(id);
        var update = await app.Projects.UpdateAsync(id, new ProjectSpec(subdomain, subdomain, app.GitHub.CloneUrl(repo), AutoDeploy: true));
        Assert.True(update.Succeeded);
        return new WebhookProject(id, subdomain, repo, source, secret);
    }

    private string PushPayload(FakeRepo repo, string commitSha, string branch = "main") => $$"""
        {"ref":"refs/heads/{{branch}}","before":"0000000000000000000000000000000000000000","after":"{{commitSha}}","deleted":false,
         "repository":{"full_name":"{{repo.FullName}}","clone_url":"{{app.GitHub.CloneUrl(repo)}}","html_url":"{{app.GitHub.BaseAddress}}{{repo.FullName}}"},
         "pusher":{"name":"octocat"} }
        """;

    private async Task<(HttpStatusCode Status, string Body)> PostWebhookAsync(
        string body, string? signature256, string delivery, string eventName = "push", string? signature1 = null)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/webhooks/github", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", delivery);
        if (signature256 is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature256);
        }

        if (signature1 is not null)
        {
            request.Headers.Add("X-Hub-Signature", signature1);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Sign(string body, string secret) => WebhookSignature.Compute(Encoding.UTF8.GetBytes(body), Encoding.UTF8.GetBytes(secret));

    [Fact]
    public async Task Webhook_MissingOrWrongSignature_401AndNothingQueued()
    {
        using var project = await CreateWebhookProjectAsync("never");
        var head = (await project.Source.GitAsync("rev-parse", "HEAD")).Trim();
        var body = PushPayload(project.Repo, head);
        var sha1 = "sha1=" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)))[..40];

        var answers = new[]
        {
            await PostWebhookAsync(body, signature256: null, Guid.NewGuid().ToString()),
            await PostWebhookAsync(body, Sign(body, "not-the-secret"), Guid.NewGuid().ToString()),
            await PostWebhookAsync(body, Sign(PushPayload(project.Repo, head, "other"), project.Secret), Guid.NewGuid().ToString()),
            await PostWebhookAsync(body, signature256: null, Guid.NewGuid().ToString(), signature1: sha1),
            await PostWebhookAsync(body, "sha256=" + new string('0', 64), Guid.NewGuid().ToString()),
        };

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.Empty(await DeploymentsAsync(project.Id));

        var ping = await PostWebhookAsync("""{"zen":"Keep it logically awesome."}""", Sign("""{"zen":"Keep it logically awesome."}""", project.Secret), Guid.NewGuid().ToString(), "ping");
        Assert.Equal((HttpStatusCode.OK, "pong"), ping);
        var other = await PostWebhookAsync("{}", Sign("{}", project.Secret), Guid.NewGuid().ToString(), "issues");
        Assert.Equal(HttpStatusCode.Accepted, other.Status);
        Assert.Empty(await DeploymentsAsync(project.Id));
    }

    [Fact]
    public async Task Webhook_PushToOtherBranchOrRepository_NoDeployment()
    {
        using var project = await CreateWebhookProjectAsync("never either");
        var head = (await project.Source.GitAsync("rev-parse", "HEAD")).Trim();
        var otherBranch = PushPayload(project.Repo, head, "feature");
        var otherRepo = PushPayload(project.Repo with { Name = "someone-elses" }, head);

        var branchAnswer = await PostWebhookAsync(otherBranch, Sign(otherBranch, project.Secret), Guid.NewGuid().ToString());
        var repoAnswer = await PostWebhookAsync(otherRepo, Sign(otherRepo, project.Secret), Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Accepted, branchAnswer.Status);
        Assert.Contains("not the tracked branch", branchAnswer.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, repoAnswer.Status);
        Assert.Contains("another repository", repoAnswer.Body, StringComparison.Ordinal);
        Assert.Empty(await DeploymentsAsync(project.Id));
    }

    [Fact]
    public async Task Webhook_SameDeliveryTwiceAndConcurrently_OneDeployment()
    {
        using var project = await CreateWebhookProjectAsync("once");
        var head = (await project.Source.GitAsync("rev-parse", "HEAD")).Trim();
        var body = PushPayload(project.Repo, head);
        var signature = Sign(body, project.Secret);
        var delivery = Guid.NewGuid().ToString();

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostWebhookAsync(body, signature, delivery)));
        var again = await PostWebhookAsync(body, signature, delivery);
        // A new delivery of the same commit (GitHub's "redeliver" makes a new id) is still one deployment per commit.
        var redelivered = await PostWebhookAsync(body, signature, Guid.NewGuid().ToString());

        Assert.Single(concurrent, a => a.Status == HttpStatusCode.OK && a.Body.Contains("queued", StringComparison.Ordinal));
        Assert.All(concurrent.Where(a => !a.Body.Contains("queued", StringComparison.Ordinal)), a => Assert.Contains("Duplicate delivery", a.Body, StringComparison.Ordinal));
        Assert.Contains("Duplicate delivery", again.Body, StringComparison.Ordinal);
        Assert.Contains("already deployed", redelivered.Body, StringComparison.Ordinal);
        var deployment = Assert.Single(await DeploymentsAsync(project.Id));
        await app.WaitForOutcomeAsync(project.Id, deployment.Id);
        Assert.Single(await DeploymentsAsync(project.Id));
    }

    [Fact]
    public async Task Webhook_ValidPush_DeploysThatExactCommit()
    {
        using var project = await CreateWebhookProjectAsync("first version");
        var first = (await project.Source.GitAsync("rev-parse", "HEAD")).Trim();
        // The branch has moved on since: the webhook names the older commit, and that one must be built.
        await project.Source.CommitAsync(new Dictionary<string, string> { ["index.html"] = "second version" }, "v2");
        await FakeGitHubServer.PushAsync(project.Repo, project.Source.Path);
        var body = PushPayload(project.Repo, first);

        var answer = await PostWebhookAsync(body, Sign(body, project.Secret), Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var deployment = Assert.Single(await DeploymentsAsync(project.Id));
        Assert.Equal(("webhook", "octocat", first), (deployment.Trigger, deployment.TriggeredBy, deployment.CommitSha));
        var outcome = await app.WaitForOutcomeAsync(project.Id, deployment.Id);
        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        Assert.Equal(first, outcome.CommitSha);
        Assert.Equal((200, "first version"), await app.GetAppAsync(project.Subdomain));
    }

    [Fact]
    public async Task Webhook_DatabaseFailsBeforeDeployIsQueued_503ThenRedeliveryDeploys()
    {
        using var project = await CreateWebhookProjectAsync("deployed after a fault");
        var head = (await project.Source.GitAsync("rev-parse", "HEAD")).Trim();
        var body = PushPayload(project.Repo, head);
        var signature = Sign(body, project.Secret);
        var delivery = Guid.NewGuid().ToString();
        // The connection drops when the deployment row of this push is written: after the delivery was seen, before any queueing.
        app.DatabaseFaults.FailNext(c => c.CommandText.Contains("INSERT INTO deployments", StringComparison.OrdinalIgnoreCase)
            && DatabaseFaultInjector.HasParameter(c, head));

        var first = await PostWebhookAsync(body, signature, delivery);

        Assert.Equal(1, app.DatabaseFaults.Injected);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.Status);
        Assert.Empty(await DeploymentsAsync(project.Id));

        // GitHub's "Redeliver" sends the same delivery id again.
        var redelivery = await PostWebhookAsync(body, signature, delivery);

        Assert.Equal(HttpStatusCode.OK, redelivery.Status);
        Assert.Contains("queued", redelivery.Body, StringComparison.Ordinal);
        var deployment = Assert.Single(await DeploymentsAsync(project.Id));
        var outcome = await app.WaitForOutcomeAsync(project.Id, deployment.Id);
        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        Assert.Equal((200, "deployed after a fault"), await app.GetAppAsync(project.Subdomain));
        Assert.Contains("Duplicate delivery", (await PostWebhookAsync(body, signature, delivery)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polling_WebhookProjectOnSafetyRound_DeploysMissedCommitOnce()
    {
        using var project = await CreateWebhookProjectAsync("caught by the safety net");
        var head = (await project.Source.GitAsync("rev-parse", "HEAD")).Trim();
        var poller = app.Get<BranchPoller>();

        // An ordinary round leaves webhook projects to their webhook; the safety round polls them too.
        await poller.PollOnceAsync();
        Assert.Empty(await DeploymentsAsync(project.Id));
        var started = await poller.PollOnceAsync(includeWebhookProjects: true);

        var deployment = Assert.Single(await DeploymentsAsync(project.Id));
        Assert.Contains(deployment.Id, started);
        Assert.Equal(("poll", head), (deployment.Trigger, deployment.CommitSha));
        var body = PushPayload(project.Repo, head);
        var late = await PostWebhookAsync(body, Sign(body, project.Secret), Guid.NewGuid().ToString());
        Assert.Contains("already deployed", late.Body, StringComparison.Ordinal);
        await poller.PollOnceAsync(includeWebhookProjects: true);
        var outcome = await app.WaitForOutcomeAsync(project.Id, deployment.Id);
        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        Assert.Single(await DeploymentsAsync(project.Id));
    }

    [Fact]
    public async Task Polling_CommitPushed_DeployedWithoutAClick()
    {
        using var source = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("polled v1"));
        var repo = await app.GitHub.AddRepoAsync("octocat", Unique("polled"), source.Path);
        var subdomain = Unique("poll");
        var projectId = await CreateAsync(subdomain, app.GitHub.CloneUrl(repo), autoDeploy: true);

        var first = await WaitForPollDeploymentAsync(projectId, (await source.GitAsync("rev-parse", "HEAD")).Trim());
        Assert.True(first.Status == DeploymentStatus.Running, first.FailureReason);

        var second = await source.CommitAsync(new Dictionary<string, string> { ["index.html"] = "polled v2" }, "v2");
        await FakeGitHubServer.PushAsync(repo, source.Path);
        var deployed = await WaitForPollDeploymentAsync(projectId, second);

        Assert.True(deployed.Status == DeploymentStatus.Running, deployed.FailureReason);
        Assert.Equal("poll", deployed.Trigger);
        Assert.Equal((200, "polled v2"), await app.GetAppAsync(subdomain));
        Assert.Equal(2, (await DeploymentsAsync(projectId)).Count);
    }

    /// <summary>Waits for the poller to start a deployment of <paramref name="commitSha"/>, then for its outcome.</summary>
    private async Task<DeploymentView> WaitForPollDeploymentAsync(long projectId, string commitSha)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var found = (await DeploymentsAsync(projectId)).FirstOrDefault(d => d.CommitSha == commitSha && d.Trigger == "poll");
            if (found is not null)
            {
                return await app.WaitForOutcomeAsync(projectId, found.Id);
            }

            await Task.Delay(250, deadline.Token);
        }
    }
}
