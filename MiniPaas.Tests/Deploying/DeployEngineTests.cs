using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Deploying;

/// <summary>Repo → image → healthy container behind the ingress, on the real engine with real PostgreSQL.</summary>
[Trait("Needs", "Docker")]
public sealed class DeployEngineTests(DeployAppFixture app) : IClassFixture<DeployAppFixture>
{
    internal static Dictionary<string, string> BusyboxSite(string content, string extraDockerfileLines = "") => new()
    {
        ["Dockerfile"] = $"""
            FROM {DockerEngineFixture.BusyboxImage}
            COPY index.html /www/index.html
            {extraDockerfileLines}
            CMD ["sh", "-c", "exec httpd -f -p $PORT -h /www"]
            """,
        ["index.html"] = content,
    };

    private static string Subdomain(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task Deploy_RepoWithDockerfile_AnswersThroughIngress()
    {
        using var repo = await SampleRepo.CreateAsync(BusyboxSite("hello from v1"));
        var subdomain = Subdomain("dock");
        var projectId = await app.CreateProjectAsync(repo, subdomain);

        var deploymentId = await app.Deployments.DeployAsync(projectId);
        var outcome = await app.WaitForOutcomeAsync(projectId, deploymentId);

        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        Assert.Equal((200, "hello from v1"), await app.GetAppAsync(subdomain));
        Assert.NotNull(outcome.CommitSha);
        Assert.Null(await app.Projects.GetGeneratedDockerfileAsync(deploymentId));
        var project = await app.Projects.GetAsync(projectId);
        Assert.Equal($"http://{subdomain}.localhost:{app.IngressPort}/", project!.LiveUrl);
    }

    [Fact]
    public async Task Deploy_NodeRepoWithoutDockerfile_BuildsGeneratedDockerfileAndAnswers()
    {
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["package.json"] = """{ "name": "sample", "version": "1.0.0", "scripts": { "start": "node server.js" } }""",
            ["server.js"] = """
                require('http').createServer((req, res) => res.end('node says hi')).listen(process.env.PORT);
                """,
        });
        var subdomain = Subdomain("node");
        var projectId = await app.CreateProjectAsync(repo, subdomain);

        var deploymentId = await app.Deployments.DeployAsync(projectId);
        var outcome = await app.WaitForOutcomeAsync(projectId, deploymentId);

        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        Assert.Equal("node", outcome.DetectedStack);
        Assert.Equal((200, "node says hi"), await app.GetAppAsync(subdomain));
        var dockerfile = await app.Projects.GetGeneratedDockerfileAsync(deploymentId);
        Assert.Contains(DockerEngineFixture.NodeImage, dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redeploy_UnderSteadyLoad_NoFailedRequestAndContentSwitches()
    {
        using var repo = await SampleRepo.CreateAsync(BusyboxSite("version-one"));
        var subdomain = Subdomain("zero");
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var first = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        Assert.True(first.Status == DeploymentStatus.Running, first.FailureReason);
        await repo.CommitAsync(new Dictionary<string, string> { ["index.html"] = "version-two" }, "v2");

        using var stopLoad = new CancellationTokenSource();
        var responses = new List<(int Status, string Body)>();
        var load = Task.Run(async () =>
        {
            // ~50 requests per second, one after another, until the new deployment serves.
            while (!stopLoad.IsCancellationRequested)
            {
                try
                {
                    responses.Add(await app.GetAppAsync(subdomain));
                }
                catch (HttpRequestException ex)
                {
                    responses.Add((0, ex.Message));
                }

                await Task.Delay(20);
            }
        });

        var second = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        await Task.Delay(TimeSpan.FromSeconds(3)); // covers the drain and the old container's removal
        await stopLoad.CancelAsync();
        await load;

        Assert.True(second.Status == DeploymentStatus.Running, second.FailureReason);
        Assert.True(responses.Count > 50, $"only {responses.Count} requests were made");
        Assert.DoesNotContain(responses, r => r.Status != 200);
        Assert.Equal("version-one", responses[0].Body);
        Assert.Equal("version-two", responses[^1].Body);
        var firstNew = responses.FindIndex(r => r.Body == "version-two");
        Assert.All(responses.Skip(firstNew), r => Assert.Equal("version-two", r.Body));
        var previous = (await app.Projects.ListDeploymentsAsync(projectId)).Single(d => d.Id == first.Id);
        Assert.Equal(DeploymentStatus.Superseded, previous.Status);
    }

    [Fact]
    public async Task Deploy_NewContainerNeverHealthy_OldKeepsServingAndReasonGiven()
    {
        using var repo = await SampleRepo.CreateAsync(BusyboxSite("stable"));
        var subdomain = Subdomain("sick");
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        Assert.Equal(DeploymentStatus.Running, (await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId))).Status);

        // The new version prints a line and exits: it never listens on PORT.
        await repo.CommitAsync(new Dictionary<string, string>
        {
            ["Dockerfile"] = $"""
                FROM {DockerEngineFixture.BusyboxImage}
                CMD ["sh", "-c", "echo database url missing; exit 4"]
                """,
        }, "broken");
        var broken = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));

        Assert.Equal(DeploymentStatus.Failed, broken.Status);
        Assert.Contains("never became healthy", broken.FailureReason, StringComparison.Ordinal);
        Assert.Contains("database url missing", broken.FailureReason, StringComparison.Ordinal);
        Assert.Equal((200, "stable"), await app.GetAppAsync(subdomain));
    }

    [Fact]
    public async Task Deploy_BuildStepFails_FailsWithTheErrorLineAsReason()
    {
        using var repo = await SampleRepo.CreateAsync(BusyboxSite("x", """RUN ["sh", "-c", "echo npm ERR! missing script: build; exit 3"]"""));
        var projectId = await app.CreateProjectAsync(repo, Subdomain("fail"));

        var outcome = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));

        Assert.Equal(DeploymentStatus.Failed, outcome.Status);
        Assert.Contains("returned a non-zero code: 3", outcome.FailureReason, StringComparison.Ordinal);
        Assert.Contains("npm ERR! missing script: build", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_TwoQuickDeploys_FirstSupersededSecondRuns()
    {
        using var repo = await SampleRepo.CreateAsync(BusyboxSite("quick", """RUN ["sh", "-c", "sleep 3"]"""));
        var subdomain = Subdomain("twice");
        var projectId = await app.CreateProjectAsync(repo, subdomain);

        var first = await app.Deployments.DeployAsync(projectId);
        var second = await app.Deployments.DeployAsync(projectId);

        var secondOutcome = await app.WaitForOutcomeAsync(projectId, second);
        var firstOutcome = await app.WaitForOutcomeAsync(projectId, first);
        Assert.Equal(DeploymentStatus.Superseded, firstOutcome.Status);
        Assert.True(secondOutcome.Status == DeploymentStatus.Running, secondOutcome.FailureReason);
        Assert.Equal((200, "quick"), await app.GetAppAsync(subdomain));
    }

    [Fact]
    public async Task Rollback_ToEarlierDeployment_ServesOlderContentWithoutBuilding()
    {
        using var repo = await SampleRepo.CreateAsync(BusyboxSite("old content"));
        var subdomain = Subdomain("back");
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var old = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));
        await repo.CommitAsync(new Dictionary<string, string> { ["index.html"] = "new content" }, "v2");
        Assert.Equal(DeploymentStatus.Running, (await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId))).Status);
        Assert.Equal((200, "new content"), await app.GetAppAsync(subdomain));

        var rollbackId = await app.Deployments.RollbackAsync(old.Id);
        var rollback = await app.WaitForOutcomeAsync(projectId, rollbackId);

        Assert.True(rollback.Status == DeploymentStatus.Running, rollback.FailureReason);
        Assert.Equal((200, "old content"), await app.GetAppAsync(subdomain));
        Assert.Equal(old.CommitSha, rollback.CommitSha);
        Assert.Equal(old.ImageTag, rollback.ImageTag);
        var log = await app.Get<MiniPaas.Core.Logs.BuildLogRecorder>().ReadAsync(rollbackId);
        Assert.DoesNotContain(log, l => l.Text.StartsWith("Step ", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Text.Contains("no build needed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopAndStart_Project_AnswersUnavailableThenServesAgain()
    {
        using var repo = await SampleRepo.CreateAsync(BusyboxSite("back again"));
        var subdomain = Subdomain("stop");
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        Assert.Equal(DeploymentStatus.Running, (await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId))).Status);

        await app.Deployments.StopAsync(projectId);
        Assert.Equal(503, (await app.GetAppAsync(subdomain)).Status);

        await app.Deployments.StartAsync(projectId);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while ((await app.GetAppAsync(subdomain, ct: cts.Token)).Status != 200)
        {
            await Task.Delay(200, cts.Token);
        }

        Assert.Equal((200, "back again"), await app.GetAppAsync(subdomain));
    }
}
