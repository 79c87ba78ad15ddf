using MiniPaas.Core.Deploying;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Deploying;

/// <summary>
/// Repositories that try to make MiniPaas hand them host files through symbolic links, deployed end to end: a real git
/// clone, real PostgreSQL, the real engine.
/// </summary>
[Trait("Needs", "Docker")]
public sealed class HostileCheckoutTests(DeployAppFixture app) : IClassFixture<DeployAppFixture>, IDisposable
{
    // Keys whose values a container legitimately shares with this process (same image PATH, host networking's hostname).
    private static readonly HashSet<string> SharedKeys = new(StringComparer.Ordinal)
    {
        "PATH", "HOME", "HOSTNAME", "TERM", "PWD", "OLDPWD", "SHLVL", "LANG", "LC_ALL", "USER", "LOGNAME", "SHELL", "TZ", "_",
    };

    // Set in this process's managed environment, which child processes (git, the docker CLI) inherit; /proc/self/environ
    // shows only the environment the process started with, so both are checked.
    private static readonly string Canary = SetCanary();

    private readonly string _outside = Directory.CreateTempSubdirectory("minipaas-host-").FullName;

    private static string SetCanary()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("MINIPAAS_TEST_CANARY", canary);
        return canary;
    }

    public void Dispose() => Directory.Delete(_outside, recursive: true);

    private static string Subdomain(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>This process's own environment as /proc/self/environ gives it (what a link to it would leak).</summary>
    private static async Task<List<string>> OwnEnvironmentAsync()
    {
        var entries = (await File.ReadAllTextAsync("/proc/self/environ")).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.Length >= 12 && e.Contains('=', StringComparison.Ordinal) && !SharedKeys.Contains(e[..e.IndexOf('=', StringComparison.Ordinal)]))
            .ToList();
        Assert.NotEmpty(entries);
        return [.. entries, "MINIPAAS_TEST_CANARY=" + Canary];
    }

    private async Task<(DeploymentView Outcome, IReadOnlyList<BuildLogLine> Log)> DeployAsync(SampleRepo repo, string subdomain)
    {
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        var deploymentId = await app.Deployments.DeployAsync(projectId);
        var outcome = await app.WaitForOutcomeAsync(projectId, deploymentId);
        return (outcome, await app.Get<BuildLogRecorder>().ReadAsync(deploymentId));
    }

    [Fact]
    public async Task Deploy_DockerignoreLinkedToProcSelfEnviron_FailsNamingItAndBuildsNothing()
    {
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string> { ["index.html"] = "static site" });
        await repo.CommitLinksAsync(new Dictionary<string, string> { [".dockerignore"] = "/proc/self/environ" });

        var (outcome, log) = await DeployAsync(repo, Subdomain("envlink"));

        Assert.Equal(DeploymentStatus.Failed, outcome.Status);
        Assert.Null(outcome.ImageTag);
        Assert.StartsWith("Refused the repository's .dockerignore (.dockerignore): it is a symbolic link to '/proc/self/environ', outside the checkout.",
            outcome.FailureReason, StringComparison.Ordinal);
        Assert.Contains(log, l => l.IsError && l.Text == outcome.FailureReason);
        Assert.DoesNotContain(log, l => l.Text.StartsWith("Step ", StringComparison.Ordinal));
        var environment = await OwnEnvironmentAsync();
        Assert.DoesNotContain(log, l => environment.Any(e => l.Text.Contains(e, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Deploy_DockerfileLinkedOutOfTheCheckout_FailsNamingIt()
    {
        // A valid Dockerfile on the host: were it followed, the build would succeed with the host's instructions.
        var hostDockerfile = Path.Combine(_outside, "Dockerfile");
        await File.WriteAllTextAsync(hostDockerfile, DeployEngineTests.BusyboxSite("x")["Dockerfile"]);
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string> { ["index.html"] = "own site" });
        await repo.CommitLinksAsync(new Dictionary<string, string> { ["Dockerfile"] = hostDockerfile });

        var (outcome, _) = await DeployAsync(repo, Subdomain("dflink"));

        Assert.Equal(DeploymentStatus.Failed, outcome.Status);
        Assert.Null(outcome.ImageTag);
        Assert.StartsWith($"Refused the repository's Dockerfile (Dockerfile): it is a symbolic link to '{hostDockerfile}', outside the checkout.",
            outcome.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_PackageJsonLinkedToDevZero_DetectionGoesOnNotesItAndTheSiteServes()
    {
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string> { ["index.html"] = "served despite the link" });
        await repo.CommitLinksAsync(new Dictionary<string, string> { ["package.json"] = "/dev/zero" });
        var subdomain = Subdomain("zero");

        var (outcome, log) = await DeployAsync(repo, subdomain);

        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        Assert.Equal("static", outcome.DetectedStack);
        Assert.Contains(log, l => l.Text == "Skipped package.json: it is a symbolic link to '/dev/zero', outside the checkout.");
        Assert.Contains(log, l => l.Text == "Variables scan: Skipped package.json: it is a symbolic link to '/dev/zero', outside the checkout.");
        Assert.Equal((200, "served despite the link"), await app.GetAppAsync(subdomain));
    }

    [Fact]
    public async Task Deploy_ContextLinksToHostFiles_ImageHoldsTheLinksNeverTheHostContent()
    {
        var marker = "host-only " + Guid.NewGuid();
        var hostFile = Path.Combine(_outside, "secret.txt");
        await File.WriteAllTextAsync(hostFile, marker);
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["Dockerfile"] = $$"""
                FROM {{DockerEngineFixture.BusyboxImage}}
                # Unique per run: the engine's cache key for COPY may not see a link's new target, and a cached layer would
                # hold an earlier run's listing.
                ENV RUN_ID={{Guid.NewGuid():N}}
                COPY . /www
                RUN ["sh", "-c", "ls -l /www > /www/listing.txt; cat /www/hostfile > /www/hostcopy.txt 2>&1; env BUILD_MARK=inside cat /www/environ | busybox tr '\\0' '\\n' > /www/buildenv.txt"]
                CMD ["sh", "-c", "exec httpd -f -p $PORT -h /www"]
                """,
            ["index.html"] = "links inside",
        });
        await repo.CommitLinksAsync(new Dictionary<string, string> { ["hostfile"] = hostFile, ["environ"] = "/proc/self/environ" });
        var subdomain = Subdomain("ctxlink");

        var (outcome, log) = await DeployAsync(repo, subdomain);

        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        var listing = (await app.GetAppAsync(subdomain, "/listing.txt")).Body;
        Assert.Contains($"hostfile -> {hostFile}", listing, StringComparison.Ordinal);
        Assert.Contains("environ -> /proc/self/environ", listing, StringComparison.Ordinal);
        var hostCopy = (await app.GetAppAsync(subdomain, "/hostcopy.txt")).Body;
        Assert.Contains("No such file or directory", hostCopy, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, hostCopy, StringComparison.Ordinal);
        // Inside the image the link names the container's own /proc: cat read its own environment in the build step.
        var buildEnvironment = (await app.GetAppAsync(subdomain, "/buildenv.txt")).Body;
        Assert.Contains("BUILD_MARK=inside", buildEnvironment, StringComparison.Ordinal);
        foreach (var entry in await OwnEnvironmentAsync())
        {
            Assert.DoesNotContain(entry, buildEnvironment, StringComparison.Ordinal);
            Assert.DoesNotContain(log, l => l.Text.Contains(entry, StringComparison.Ordinal));
        }
    }
}
