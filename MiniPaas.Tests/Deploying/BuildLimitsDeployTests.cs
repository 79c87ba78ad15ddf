using System.Globalization;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Deploying;

/// <summary>The build limits configured under <c>MiniPaas:Builder</c> hold through a whole deployment (real engine, real PostgreSQL).</summary>
[Trait("Needs", "Docker")]
public sealed class BuildLimitsDeployTests(BuildLimitsDeployTests.SmallLimitsAppFixture app) : IClassFixture<BuildLimitsDeployTests.SmallLimitsAppFixture>
{
    private const int MaxLines = 300;

    [Fact]
    public async Task Deploy_BuildPrintsMoreLinesThanTheCap_AtMostTheCapStoredThenOneNoticeAndTheDeploymentGoesOn()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite(
            "capped",
            // 5,000 lines in one RUN step (sh's echo: busybox has no seq applet here); unique, so the engine cannot reuse a cached step.
            $$"""RUN ["sh", "-c", "echo {{Guid.NewGuid():N}}; i=0; while [ $i -lt 5000 ]; do echo burst-line-$i; i=$((i+1)); done"]"""));
        var subdomain = $"cap-{Guid.NewGuid():N}"[..12];
        var projectId = await app.CreateProjectAsync(repo, subdomain);

        var deploymentId = await app.Deployments.DeployAsync(projectId);
        var outcome = await app.WaitForOutcomeAsync(projectId, deploymentId);

        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        var log = (await app.Get<BuildLogRecorder>().ReadAsync(deploymentId)).Select(l => l.Text).ToList();
        var burst = log.Where(l => l.StartsWith("burst-line-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(burst);
        Assert.Equal(burst, Enumerable.Range(0, burst.Count).Select(i => $"burst-line-{i}"));
        var notice = Assert.Single(log, l => l.Contains("lines dropped", StringComparison.Ordinal));
        var dropped = long.Parse(notice[..notice.IndexOf(' ', StringComparison.Ordinal)], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        // Every burst line was either stored or counted.
        Assert.True(burst.Count + dropped >= 5000, $"stored {burst.Count}, dropped {dropped}");
        // Before the notice: the cap's worth of output (git's and the build's lines) plus MiniPaas's own few lines.
        var noticeAt = log.IndexOf(notice);
        Assert.InRange(noticeAt, MaxLines, MaxLines + 15);
        // MiniPaas's own lines after the cap are not dropped.
        Assert.Contains(log.Skip(noticeAt), l => l.StartsWith("Built image ", StringComparison.Ordinal));
        Assert.Contains(log.Skip(noticeAt), l => l.StartsWith("Healthy:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_RepositoryLargerThanTheCloneLimit_FailsNamingTheLimit()
    {
        var random = new byte[3 << 20];
        Random.Shared.NextBytes(random);
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("too big"));
        await File.WriteAllBytesAsync(Path.Combine(repo.Path, "blob.bin"), random);
        await repo.CommitAsync(new Dictionary<string, string> { ["note.txt"] = "with a 3 MiB blob" }, "add blob");
        var projectId = await app.CreateProjectAsync(repo, $"big-{Guid.NewGuid():N}"[..12]);

        var deploymentId = await app.Deployments.DeployAsync(projectId);
        var outcome = await app.WaitForOutcomeAsync(projectId, deploymentId);

        Assert.Equal(DeploymentStatus.Failed, outcome.Status);
        Assert.EndsWith("the repository is larger than the 2 MiB limit (MiniPaas:Builder:MaxCloneBytes).", outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_ContainerPrintsLongLinesAndNeverGetsHealthy_ReasonAndLogLinesStayBounded()
    {
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["Dockerfile"] = $"""
                FROM {DockerEngineFixture.BusyboxImage}
                CMD ["sh", "-c", "for i in 1 2 3; do head -c 200000 /dev/zero | /bin/busybox tr '\\0' x; echo; done; exit 4"]
                """,
        });
        var projectId = await app.CreateProjectAsync(repo, $"long-{Guid.NewGuid():N}"[..13]);

        var deploymentId = await app.Deployments.DeployAsync(projectId);
        var outcome = await app.WaitForOutcomeAsync(projectId, deploymentId);

        Assert.Equal(DeploymentStatus.Failed, outcome.Status);
        Assert.Contains("never became healthy", outcome.FailureReason, StringComparison.Ordinal);
        Assert.Contains("Last output: xxxx", outcome.FailureReason, StringComparison.Ordinal);
        Assert.True(outcome.FailureReason!.Length < 2_500, $"failure reason of {outcome.FailureReason.Length:N0} characters");
        var log = await app.Get<BuildLogRecorder>().ReadAsync(deploymentId);
        var container = log.Where(l => l.Text.StartsWith("[container] ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(container);
        Assert.All(container, l => Assert.True(l.Text.Length < 16_384 + 100, $"a line of {l.Text.Length:N0} characters"));
    }

    /// <summary>The deploy app with small build limits.</summary>
    public sealed class SmallLimitsAppFixture : DeployAppFixture
    {
        protected override void ConfigureSettings(IDictionary<string, string?> settings)
        {
            base.ConfigureSettings(settings);
            settings["MiniPaas:Builder:MaxBuildLogLines"] = MaxLines.ToString(CultureInfo.InvariantCulture);
            settings["MiniPaas:Builder:MaxCloneBytes"] = (2 << 20).ToString(CultureInfo.InvariantCulture);
        }
    }
}
