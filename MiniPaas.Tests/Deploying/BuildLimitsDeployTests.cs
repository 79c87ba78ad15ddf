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
            // 5,000 lines in one RUN step (sh's echo: busybox has no seq applet here).
            """RUN ["sh", "-c", "i=0; while [ $i -lt 5000 ]; do echo burst-line-$i; i=$((i+1)); done"]"""));
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
