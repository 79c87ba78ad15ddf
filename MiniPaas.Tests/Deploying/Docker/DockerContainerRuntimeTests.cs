using RestartPolicyKind = Docker.DotNet.Models.RestartPolicyKind;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Deploying.Docker;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Deploying.Docker;

[Trait("Category", "Docker")]
public sealed class DockerContainerRuntimeTests : IClassFixture<DockerEngineFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly DockerEngineFixture _engine;
    private readonly DockerClientProvider _provider;
    private readonly DockerContainerRuntime _runtime;
    private readonly List<string> _containers = [];
    private readonly List<string> _images = [];

    public DockerContainerRuntimeTests(DockerEngineFixture engine)
    {
        _engine = engine;
        _provider = new DockerClientProvider(Options.Create(new DockerOptions { Endpoint = engine.Endpoint }));
        _runtime = new DockerContainerRuntime(
            _provider,
            Options.Create(new RuntimeOptions { NetworkMode = "host" }),
            TimeProvider.System,
            NullLogger<DockerContainerRuntime>.Instance);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await _engine.RemoveContainerQuietlyAsync(container);
        }

        foreach (var image in _images)
        {
            await _engine.RemoveImageQuietlyAsync(image);
        }

        _runtime.Dispose();
        _provider.Dispose();
    }

    [Fact]
    public async Task StartAsync_BusyboxHttpdOnHostNetwork_ServesOnLoopbackPortWithLabelsAndLimits()
    {
        var image = await BuildAsync(
            "httpd",
            """
            FROM minipaas-test/busybox:latest
            COPY index.html /www/index.html
            CMD ["/bin/sh", "-c", "echo listening on $PORT; exec httpd -f -v -p 127.0.0.1:$PORT -h /www"]
            """,
            new Dictionary<string, string> { ["index.html"] = "hello from minipaas\n" });
        var spec = Spec(image, "httpd") with { Cpus = 0.5, MemoryMiB = 64 };

        var started = await _runtime.StartAsync(spec);

        Assert.True(started.IsRunning);
        Assert.Null(started.ExitCode);
        Assert.Equal(spec.Name, started.Name);
        Assert.Equal(image, started.Image);
        Assert.Matches(@"^127\.0\.0\.1:\d+$", started.Upstream);
        Assert.Equal("hello from minipaas\n", await HttpPolling.GetUntilAnsweredAsync(new Uri($"http://{started.Upstream}/"), Timeout));

        Assert.Equal("p1", started.Labels[ContainerLabels.Project]);
        Assert.Equal("true", started.Labels[ContainerLabels.Managed]);
        var listed = Assert.Single(await _runtime.ListManagedAsync(), c => c.Id == started.Id);
        Assert.Equal(started.Upstream, listed.Upstream);
        Assert.Equal("d1", listed.Labels[ContainerLabels.Deployment]);

        var inspected = await _engine.Client.Containers.InspectContainerAsync(started.Id);
        Assert.Equal(64L * 1024 * 1024, inspected.HostConfig.Memory);
        Assert.Equal(500_000_000L, inspected.HostConfig.NanoCPUs);
        Assert.True(inspected.HostConfig.Init);
        Assert.False(inspected.HostConfig.Privileged);
        Assert.Contains("no-new-privileges", inspected.HostConfig.SecurityOpt);
        Assert.Equal(RestartPolicyKind.UnlessStopped, inspected.HostConfig.RestartPolicy.Name);
        Assert.Equal("host", inspected.HostConfig.NetworkMode);
        Assert.Empty(inspected.Mounts);
        Assert.Contains($"PORT={started.Upstream!.Split(':')[1]}", inspected.Config.Env);
        Assert.Contains("GREETING=hi", inspected.Config.Env);

        await _runtime.RestartAsync(started.Id);
        Assert.Equal("hello from minipaas\n", await HttpPolling.GetUntilAnsweredAsync(new Uri($"http://{started.Upstream}/"), Timeout));

        await _runtime.StopAsync(started.Id);
        var stopped = await _runtime.InspectAsync(started.Id);
        Assert.NotNull(stopped);
        Assert.False(stopped.IsRunning);
        Assert.NotNull(stopped.ExitCode);

        await _runtime.RemoveAsync(started.Id);
        Assert.Null(await _runtime.InspectAsync(started.Id));
        Assert.DoesNotContain(await _runtime.ListManagedAsync(), c => c.Id == started.Id);
        await _runtime.RemoveAsync(started.Id); // Removing twice is fine.
    }

    [Fact]
    public async Task TailLogsAsync_ContainerWroteLines_ReturnsLastLinesOfBothStreams()
    {
        var image = await BuildAsync(
            "logs",
            """
            FROM minipaas-test/busybox:latest
            CMD ["/bin/sh", "-c", "echo to-stderr >&2; sleep 1; for i in 1 2 3 4 5; do echo line-$i; done; exec sleep 300"]
            """);
        var started = await _runtime.StartAsync(Spec(image, "logs"));

        using var cts = new CancellationTokenSource(Timeout);
        IReadOnlyList<string> all = [];
        while (!all.Contains("line-5"))
        {
            await Task.Delay(200, cts.Token);
            all = await _runtime.TailLogsAsync(started.Id, 100, cts.Token);
        }

        Assert.Equal(["to-stderr", "line-1", "line-2", "line-3", "line-4", "line-5"], all);
        Assert.Equal(["line-3", "line-4", "line-5"], await _runtime.TailLogsAsync(started.Id, 3, cts.Token));
    }

    [Fact]
    public async Task StartAsync_ImageMissingLocally_ThrowsClearErrorWithoutPulling()
    {
        var image = $"minipaas-test/absent-{Guid.NewGuid():N}:latest";
        var spec = Spec(image, "missing");

        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.StartAsync(spec));

        Assert.True(error.IsImageMissing);
        Assert.Contains(image, error.Message, StringComparison.Ordinal);
        Assert.Contains("never pulls", error.Message, StringComparison.Ordinal);
        Assert.False(await _runtime.ImageExistsAsync(image));
        Assert.Null(await _runtime.InspectAsync(spec.Name));
    }

    [Fact]
    public async Task ImageExistsAsync_AndRemoveImageAsync_ReflectTheEngine()
    {
        var image = await BuildAsync("rmi", "FROM minipaas-test/busybox:latest\nCMD [\"/bin/true\"]\n");

        Assert.True(await _runtime.ImageExistsAsync(image));
        await _runtime.RemoveImageAsync(image);
        Assert.False(await _runtime.ImageExistsAsync(image));
        await _runtime.RemoveImageAsync(image); // Already gone is fine.
    }

    [Fact]
    public async Task StartAsync_NodeImage_ServesOnPort()
    {
        var image = await BuildAsync(
            "node",
            """
            FROM minipaas-test/node:20
            RUN ["npm", "--version"]
            CMD ["node", "-e", "require('http').createServer((q, s) => s.end('node says ' + process.version)).listen(+process.env.PORT, '127.0.0.1')"]
            """);

        var started = await _runtime.StartAsync(Spec(image, "node"));

        Assert.StartsWith("node says v20.", await HttpPolling.GetUntilAnsweredAsync(new Uri($"http://{started.Upstream}/"), Timeout), StringComparison.Ordinal);
    }

    private ContainerSpec Spec(string image, string purpose)
    {
        var name = DockerEngineFixture.UniqueName(purpose);
        _containers.Add(name);
        return new ContainerSpec(
            name,
            image,
            new Dictionary<string, string> { ["GREETING"] = "hi", ["PORT"] = "1" },
            new Dictionary<string, string>
            {
                [ContainerLabels.Project] = "p1",
                [ContainerLabels.Deployment] = "d1",
                [DockerEngineFixture.TestLabel] = "true",
            },
            0,
            null,
            null);
    }

    private async Task<string> BuildAsync(string purpose, string dockerfile, IReadOnlyDictionary<string, string>? files = null)
    {
        var tag = $"{DockerEngineFixture.UniqueName(purpose)}:latest";
        _images.Add(tag);
        await _engine.BuildImageAsync(tag, dockerfile, files);
        return tag;
    }
}
