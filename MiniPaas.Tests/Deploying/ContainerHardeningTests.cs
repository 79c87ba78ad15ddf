using System.Globalization;
using Docker.DotNet.Models;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Deploying;

/// <summary>MiniPaas with small default and maximum limits, so the tests can tell defaults, project values and maxima apart.</summary>
public sealed class LimitedDeployAppFixture : DeployAppFixture
{
    public const double DefaultCpus = 0.5;
    public const long DefaultMemoryMiB = 128;
    public const long DefaultPids = 48;
    public const double MaxCpus = 1;
    public const long MaxMemoryMiB = 256;

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings["MiniPaas:Runtime:DefaultLimits:Cpus"] = DefaultCpus.ToString(CultureInfo.InvariantCulture);
        settings["MiniPaas:Runtime:DefaultLimits:MemoryMiB"] = DefaultMemoryMiB.ToString(CultureInfo.InvariantCulture);
        settings["MiniPaas:Runtime:DefaultLimits:Pids"] = DefaultPids.ToString(CultureInfo.InvariantCulture);
        settings["MiniPaas:Runtime:MaxLimits:Cpus"] = MaxCpus.ToString(CultureInfo.InvariantCulture);
        settings["MiniPaas:Runtime:MaxLimits:MemoryMiB"] = MaxMemoryMiB.ToString(CultureInfo.InvariantCulture);
        settings["MiniPaas:Runtime:MaxLimits:Pids"] = "64";
    }
}

/// <summary>What a deployed app is allowed on the real engine: capabilities, privileges, mounts, CPU, memory and processes.</summary>
[Trait("Needs", "Docker")]
public sealed class ContainerHardeningTests(LimitedDeployAppFixture app, DockerEngineFixture engine)
    : IClassFixture<LimitedDeployAppFixture>, IClassFixture<DockerEngineFixture>
{
    // Bit numbers from linux/capability.h, for the capabilities a container could hold.
    private static readonly Dictionary<int, string> CapabilityBits = new()
    {
        [0] = "CHOWN", [1] = "DAC_OVERRIDE", [2] = "DAC_READ_SEARCH", [3] = "FOWNER", [4] = "FSETID", [5] = "KILL",
        [6] = "SETGID", [7] = "SETUID", [8] = "SETPCAP", [9] = "LINUX_IMMUTABLE", [10] = "NET_BIND_SERVICE",
        [11] = "NET_BROADCAST", [12] = "NET_ADMIN", [13] = "NET_RAW", [14] = "IPC_LOCK", [15] = "IPC_OWNER",
        [16] = "SYS_MODULE", [17] = "SYS_RAWIO", [18] = "SYS_CHROOT", [19] = "SYS_PTRACE", [20] = "SYS_PACCT",
        [21] = "SYS_ADMIN", [22] = "SYS_BOOT", [23] = "SYS_NICE", [24] = "SYS_RESOURCE", [25] = "SYS_TIME",
        [26] = "SYS_TTY_CONFIG", [27] = "MKNOD", [28] = "LEASE", [29] = "AUDIT_WRITE", [30] = "AUDIT_CONTROL", [31] = "SETFCAP",
    };

    private static readonly string[] ExpectedCapabilities = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "NET_BIND_SERVICE", "SETGID", "SETUID"];

    private static string Subdomain(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task Deploy_ProjectWithoutLimits_RunsWithReducedCapabilitiesDefaultLimitsAndNoMounts()
    {
        // The app publishes what the kernel says about its own process (it runs as root: the worst case for capabilities).
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["Dockerfile"] = $"""
                FROM {DockerEngineFixture.BusyboxImage}
                CMD ["sh", "-c", "mkdir -p /www && cat /proc/self/status > /www/status && exec httpd -f -p $PORT -h /www"]
                """,
        });
        var subdomain = Subdomain("caps");
        var projectId = await app.CreateProjectAsync(repo, subdomain);

        var outcome = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));

        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        var (status, body) = await app.GetAppAsync(subdomain, "/status");
        Assert.Equal(200, status);
        var fields = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.Ordinal);
        Assert.Equal(ExpectedCapabilities, Decode(fields["CapEff"]));
        Assert.Equal(ExpectedCapabilities, Decode(fields["CapBnd"]));
        Assert.Equal(ExpectedCapabilities, Decode(fields["CapPrm"]));
        Assert.Empty(Decode(fields["CapAmb"]));
        Assert.Equal("1", fields["NoNewPrivs"]);

        var inspected = await engine.Client.Containers.InspectContainerAsync(ContainerName(subdomain, outcome.Id));
        var host = inspected.HostConfig;
        Assert.Equal(["ALL"], host.CapDrop);
        Assert.Equal(ExpectedCapabilities, host.CapAdd.Order(StringComparer.Ordinal));
        Assert.False(host.Privileged);
        Assert.Contains("no-new-privileges", host.SecurityOpt);
        Assert.Equal((long)(LimitedDeployAppFixture.DefaultCpus * 1_000_000_000), host.NanoCPUs);
        Assert.Equal(LimitedDeployAppFixture.DefaultMemoryMiB * 1024 * 1024, host.Memory);
        Assert.Equal(host.Memory, host.MemorySwap);
        Assert.Equal(LimitedDeployAppFixture.DefaultPids, host.PidsLimit);
        // Nothing of the host's file system, and in particular never the engine's socket, is inside an app container.
        Assert.Empty(inspected.Mounts);
        Assert.True(host.Binds is null || host.Binds.Count == 0);
        Assert.True(host.Mounts is null || host.Mounts.Count == 0);
        Assert.DoesNotContain(inspected.Mounts, m => m.Source.Contains("docker.sock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deploy_ProjectRaisesItsLimitsToTheMaximum_ContainerGetsThemAndTheLogSaysSo()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("roomy"));
        var subdomain = Subdomain("roomy");
        var created = await app.Projects.CreateAsync(new ProjectSpec(
            subdomain, subdomain, repo.Path, CpuLimit: LimitedDeployAppFixture.MaxCpus, MemoryLimitMiB: LimitedDeployAppFixture.MaxMemoryMiB));
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Values));
        var projectId = created.ProjectId!.Value;

        var outcome = await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId));

        Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);
        var host = (await engine.Client.Containers.InspectContainerAsync(ContainerName(subdomain, outcome.Id))).HostConfig;
        Assert.Equal(1_000_000_000L, host.NanoCPUs);
        Assert.Equal(LimitedDeployAppFixture.MaxMemoryMiB * 1024 * 1024, host.Memory);
        Assert.Equal(LimitedDeployAppFixture.DefaultPids, host.PidsLimit);
        var log = await app.Get<BuildLogRecorder>().ReadAsync(outcome.Id);
        Assert.Contains(log, l => l.Text.Contains("limits: 1 CPU · 256 MiB · 48 processes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_ProjectAboveTheMaximum_RefusedWithTheMaximumNamedAndNothingSaved()
    {
        var subdomain = Subdomain("greedy");
        var result = await app.Projects.CreateAsync(new ProjectSpec(
            subdomain, subdomain, "https://example.com/app.git", CpuLimit: 1.5, MemoryLimitMiB: 1024));

        Assert.False(result.Succeeded);
        Assert.Contains("between 0.05 and 1 (the maximum MiniPaas allows", result.Errors[nameof(ProjectSpec.CpuLimit)], StringComparison.Ordinal);
        Assert.Contains("at most 256 MiB", result.Errors[nameof(ProjectSpec.MemoryLimitMiB)], StringComparison.Ordinal);
        Assert.DoesNotContain(await app.Get<IProjectDirectory>().ListAsync(), p => p.Name == subdomain);
    }

    [Fact]
    public async Task Deploy_ForkBomb_PidsLimitHoldsWhileMiniPaasAndOtherAppsAnswer()
    {
        using var bounded = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        using var neighbourRepo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("still here"));
        var neighbour = Subdomain("calm");
        var neighbourId = await app.CreateProjectAsync(neighbourRepo, neighbour);
        Assert.Equal(DeploymentStatus.Running, (await app.WaitForOutcomeAsync(neighbourId, await app.Deployments.DeployAsync(neighbourId))).Status);

        // Forks sleeps in the background until a fork fails (busybox sh then gives up), while httpd in the foreground keeps the
        // container up and lets it become healthy: the sleeps then hold every process the container may have.
        using var bombRepo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            ["Dockerfile"] = $"""
                FROM {DockerEngineFixture.BusyboxImage}
                COPY index.html /www/index.html
                CMD ["sh", "-c", "(while true; do sleep 600 & done) & exec httpd -f -p $PORT -h /www"]
                """,
            ["index.html"] = "boom",
        });
        var bomb = Subdomain("bomb");
        var bombId = await app.CreateProjectAsync(bombRepo, bomb);
        try
        {
            var outcome = await app.WaitForOutcomeAsync(bombId, await app.Deployments.DeployAsync(bombId));
            Assert.True(outcome.Status == DeploymentStatus.Running, outcome.FailureReason);

            var container = ContainerName(bomb, outcome.Id);
            var runtime = app.Get<IContainerRuntime>();
            while (!(await runtime.TailLogsAsync(container, 20, bounded.Token)).Any(l => l.Contains("can't fork", StringComparison.Ordinal)))
            {
                await Task.Delay(200, bounded.Token);
            }

            // The kernel refused a fork: the container holds as many processes as it may (the shell that was refused exits).
            var pids = await ReadPidsAsync(container, bounded.Token);
            Assert.Equal((ulong)LimitedDeployAppFixture.DefaultPids, pids.Limit);
            Assert.InRange(pids.Current, (ulong)LimitedDeployAppFixture.DefaultPids - 2, (ulong)LimitedDeployAppFixture.DefaultPids);
            Assert.True((await runtime.InspectAsync(container, bounded.Token))!.IsRunning);

            // While the bomb holds every process it may, MiniPaas (database and engine included) and the other app answer.
            using var dashboard = app.CreateClient();
            for (var i = 0; i < 10; i++)
            {
                using var ready = await dashboard.GetAsync(new Uri("/readyz", UriKind.Relative), bounded.Token);
                Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
                Assert.Equal((200, "still here"), await app.GetAppAsync(neighbour, ct: bounded.Token));
                Assert.InRange((await ReadPidsAsync(container, bounded.Token)).Current, 1UL, (ulong)LimitedDeployAppFixture.DefaultPids);
                await Task.Delay(300, bounded.Token);
            }
        }
        finally
        {
            // Its sleeps would hold their processes for ten minutes: take it away at once, not at the fixture's end.
            await app.Projects.DeleteAsync(bombId, bomb, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Deploy_EngineRefusesToStartTheContainer_FailsWithTheEngineMessageWhilePreviousServes()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("steady"));
        var subdomain = Subdomain("nouser");
        var projectId = await app.CreateProjectAsync(repo, subdomain);
        Assert.Equal(DeploymentStatus.Running, (await app.WaitForOutcomeAsync(projectId, await app.Deployments.DeployAsync(projectId))).Status);

        // USER is only metadata at build time; the engine resolves it when it starts the container, and refuses.
        await repo.CommitAsync(DeployEngineTests.BusyboxSite("never served", "USER nosuchuser"), "run as a user the image lacks");
        var failedId = await app.Deployments.DeployAsync(projectId);
        var failed = await app.WaitForOutcomeAsync(projectId, failedId);

        Assert.Equal(DeploymentStatus.Failed, failed.Status);
        Assert.Contains("unable to find user nosuchuser", failed.FailureReason, StringComparison.Ordinal);
        Assert.StartsWith("Could not start container", failed.FailureReason, StringComparison.Ordinal);
        Assert.Equal((200, "steady"), await app.GetAppAsync(subdomain));
        // The half-created container is gone (its name would block the next attempt).
        Assert.Null(await app.Get<IContainerRuntime>().InspectAsync(ContainerName(subdomain, failedId)));
        var log = await app.Get<BuildLogRecorder>().ReadAsync(failedId);
        Assert.Contains(log, l => l.IsError && l.Text.Contains("unable to find user nosuchuser", StringComparison.Ordinal));
    }

    private static string[] Decode(string hexMask)
    {
        var mask = ulong.Parse(hexMask, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(0, 64).Where(bit => (mask & (1UL << bit)) != 0)
            .Select(bit => CapabilityBits.TryGetValue(bit, out var name) ? name : $"bit{bit}")
            .Order(StringComparer.Ordinal)];
    }

    private static string ContainerName(string subdomain, long deploymentId) =>
        DeploymentPipeline.ContainerNameFor(new ProjectRecord { Name = subdomain, Subdomain = subdomain, SourceUrl = "" }, deploymentId);

    private async Task<PidsStats> ReadPidsAsync(string container, CancellationToken ct)
    {
        ContainerStatsResponse? reading = null;
        await engine.Client.Containers.GetContainerStatsAsync(
            container, new ContainerStatsParameters { Stream = false, OneShot = true }, new Synchronous(r => reading = r), ct);
        return reading?.PidsStats ?? throw new InvalidOperationException($"No stats for {container}");
    }

    private sealed class Synchronous(Action<ContainerStatsResponse> report) : IProgress<ContainerStatsResponse>
    {
        public void Report(ContainerStatsResponse value) => report(value);
    }
}
