using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Analytics.Stats;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Deploying.Docker;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Variables;

namespace MiniPaas.Tests.Analytics.Stats;

/// <summary>The sampler against the real engine and real PostgreSQL, with a container that burns CPU and holds 40 MiB in /dev/shm.</summary>
[Trait("Category", "Docker")]
[Trait("Needs", "Postgres")]
public sealed class ContainerStatsSamplerTests(DockerEngineFixture engine) : IClassFixture<DockerEngineFixture>, IAsyncLifetime
{
    private const long AllocatedBytes = 40L * 1024 * 1024;
    private const long LimitMiB = 128;
    private readonly string _image = $"minipaas-test/stats-load:{Guid.NewGuid():N}"[..48];
    private readonly List<string> _containers = [];
    private DockerClientProvider _clients = null!;
    private DockerContainerRuntime _runtime = null!;
    private IDbContextFactory<MiniPaasDbContext> _contexts = null!;
    private Installation _installation = null!;

    public async Task InitializeAsync()
    {
        // A busy loop keeps one CPU busy; 40 MiB written to /dev/shm (tmpfs) stay resident and charged to the container.
        await engine.BuildImageAsync(_image, $"""
            FROM {DockerEngineFixture.BusyboxImage}
            CMD ["/bin/sh", "-c", "head -c {AllocatedBytes} /dev/zero > /dev/shm/ballast && while :; do :; done"]
            """);
        _clients = new DockerClientProvider(Options.Create(new DockerOptions { Endpoint = engine.Endpoint }));
        _runtime = new DockerContainerRuntime(_clients, Options.Create(new RuntimeOptions { NetworkMode = "host" }), TimeProvider.System, NullLogger<DockerContainerRuntime>.Instance);
        _contexts = await (await PostgresFixture.GetAsync()).CreateMigratedContextFactoryAsync("stats_sampler");
        _installation = new Installation();
        await using var db = await _contexts.CreateDbContextAsync();
        await _installation.LoadOrCreateAsync(db, TimeProvider.System, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await engine.RemoveContainerQuietlyAsync(container);
        }

        await engine.RemoveImageQuietlyAsync(_image);
        _runtime.Dispose();
        _clients.Dispose();
    }

    [Fact]
    public async Task SampleOnceAsync_ContainerUnderLoad_StoresAndPublishesCpuAboveZeroAndMemoryNearAllocation()
    {
        var instanceId = await _installation.IdAsync;
        var projectId = await VariablesTestStore.AddProjectAsync(_contexts, "load-" + Guid.NewGuid().ToString("N")[..6]);
        var container = await _runtime.StartAsync(new ContainerSpec(
            DockerEngineFixture.UniqueName("stats"),
            _image,
            new Dictionary<string, string>(),
            new Dictionary<string, string>
            {
                [ContainerLabels.Instance] = instanceId,
                [ContainerLabels.Project] = projectId.ToString(CultureInfo.InvariantCulture),
                [DockerEngineFixture.TestLabel] = "true",
            },
            Port: 0,
            Cpus: null,
            MemoryMiB: LimitMiB));
        _containers.Add(container.Id);
        // Someone else's container on the same engine (another installation) must not be sampled.
        var foreign = await _runtime.StartAsync(new ContainerSpec(
            DockerEngineFixture.UniqueName("foreign"),
            _image,
            new Dictionary<string, string>(),
            new Dictionary<string, string>
            {
                [ContainerLabels.Instance] = "another-installation",
                [ContainerLabels.Project] = projectId.ToString(CultureInfo.InvariantCulture),
                [DockerEngineFixture.TestLabel] = "true",
            },
            0,
            null,
            LimitMiB));
        _containers.Add(foreign.Id);

        var feed = new ContainerStatsFeed();
        using var subscription = feed.Subscribe(projectId);
        var store = new ContainerStatsStore(_contexts);
        var sampler = new ContainerStatsSampler(
            _runtime,
            new DockerContainerStatsReader(_clients),
            store,
            feed,
            _installation,
            Options.Create(new ContainerStatsOptions()),
            TimeProvider.System,
            NullLogger<ContainerStatsSampler>.Instance);

        // Poll: the first reading has no CPU baseline, and the ballast takes a moment to be written on a loaded machine.
        ContainerStatsSample? measured = null;
        var all = new List<ContainerStatsSample>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (measured is null)
        {
            var samples = await sampler.SampleOnceAsync(instanceId, timeout.Token);
            all.AddRange(samples);
            Assert.DoesNotContain(samples, s => s.ContainerId == foreign.Id);
            measured = samples.FirstOrDefault(s => s.ContainerId == container.Id && s.CpuPercent > 0 && s.MemoryUsedBytes >= AllocatedBytes);
            await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
        }

        Assert.InRange(measured.CpuPercent!.Value, 1, 201); // a busy loop: near 100 % of one CPU when the machine is idle
        Assert.InRange(measured.MemoryUsedBytes, AllocatedBytes, AllocatedBytes + (16L << 20)); // the ballast plus busybox
        Assert.Equal(LimitMiB << 20, measured.MemoryLimitBytes);
        Assert.Null(measured.NetworkRxBytes); // host network: no interfaces of its own
        Assert.Equal(projectId, measured.ProjectId);
        Assert.Null(all.First(s => s.ContainerId == container.Id).CpuPercent); // one-shot: no baseline yet

        // Stored, and published to live viewers in the same order with the same sequence numbers.
        await using (var db = await _contexts.CreateDbContextAsync())
        {
            var stored = await db.Set<ContainerStatsSampleRecord>().Where(s => s.ProjectId == projectId).OrderBy(s => s.Id).ToListAsync();
            Assert.Equal(all.Select(s => s.Seq), stored.Select(s => s.Id));
            Assert.All(stored, s => Assert.Equal(container.Id, s.ContainerId));
        }

        var published = new List<ContainerStatsSample>();
        await foreach (var batch in subscription.ReadBatchesAsync(timeout.Token))
        {
            published.AddRange(batch);
            if (published.Count >= all.Count)
            {
                break;
            }
        }

        Assert.Equal(all, published);

        // A stopped container is no longer sampled.
        await _runtime.StopAsync(container.Id);
        Assert.DoesNotContain(await sampler.SampleOnceAsync(instanceId, timeout.Token), s => s.ContainerId == container.Id);
    }
}
