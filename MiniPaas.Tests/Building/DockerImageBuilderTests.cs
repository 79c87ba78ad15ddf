using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Building;
using MiniPaas.Core.Building.Docker;
using MiniPaas.Core.Configuration;
using MiniPaas.Tests.Shared;
using MiniPaas.Core.Networking;

namespace MiniPaas.Tests.Building;

[Trait("Category", "Docker")]
public sealed class DockerImageBuilderTests(DockerEngineFixture busybox) : IClassFixture<DockerEngineFixture>, IAsyncLifetime
{
    private readonly List<string> _images = [];

    private DockerImageBuilder Builder(BuilderOptions? options = null, Microsoft.Extensions.Logging.ILogger<DockerImageBuilder>? logger = null)
    {
        options ??= new BuilderOptions();
        options.NetworkMode = "host";
        var engine = new BuildEngineClient(new MiniPaas.Core.Deploying.Docker.DockerClientProvider(Options.Create(new DockerOptions { Endpoint = busybox.Endpoint })));
        return new DockerImageBuilder(engine, Options.Create(options), TimeProvider.System, logger ?? NullLogger<DockerImageBuilder>.Instance);
    }

    private string NewTag()
    {
        var tag = $"minipaas-test/build:{Guid.NewGuid():N}";
        _images.Add(tag);
        return tag;
    }

    [Fact]
    public async Task BuildAsync_ValidContext_SucceedsWithOrderedLinesLabelsAndIgnoredFileAbsent()
    {
        using var repo = new SampleRepo()
            .With(".dockerignore", "secret.txt\n")
            .With("secret.txt", "do not ship")
            // Unique content: a cached RUN step prints nothing, and the engine keeps earlier runs' layers as build cache.
            .With("hello.txt", "hi " + Guid.NewGuid())
            .With("Dockerfile", $"""
                FROM {DockerEngineFixture.BusyboxImage}
                COPY . /app
                RUN ["/bin/busybox", "test", "!", "-e", "/app/secret.txt"]
                RUN ["/bin/busybox", "test", "-e", "/app/hello.txt"]
                RUN ["/bin/busybox", "sh", "-c", "for i in 1 2 3 4 5; do echo line-$i; done"]
                """);
        var lines = new List<BuildOutputLine>();
        var tag = NewTag();

        var result = await Builder().BuildAsync(repo.Path, "Dockerfile", tag,
            new Dictionary<string, string> { ["minipaas.project"] = "p1", ["minipaas.managed"] = "true" },
            new SynchronousProgress<BuildOutputLine>(lines.Add));

        Assert.True(result.Succeeded, result.FailureReason + "\n" + string.Join('\n', lines.Select(l => l.Text)));
        Assert.Null(result.FailureReason);
        var texts = lines.Select(l => l.Text).ToList();
        var steps = texts.Where(t => t.StartsWith("Step ", StringComparison.Ordinal)).ToList();
        // The legacy builder appends one LABEL step per label after the Dockerfile's five steps.
        Assert.Equal(Enumerable.Range(1, 7).Select(i => $"Step {i}/7 :"), steps.Select(s => s[..10]));
        var echoed = texts.Where(t => t.StartsWith("line-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["line-1", "line-2", "line-3", "line-4", "line-5"], echoed);
        Assert.DoesNotContain(lines, l => l.IsError);
        var image = await busybox.Client.Images.InspectImageAsync(tag);
        Assert.Equal("p1", image.Config.Labels["minipaas.project"]);
        Assert.Equal("true", image.Config.Labels["minipaas.managed"]);
    }

    [Fact]
    public async Task BuildAsync_FailingStep_ReturnsFailureNamingTheStepAndLastOutputButOwnLogQuotesNone()
    {
        using var repo = new SampleRepo().With("Dockerfile", $"""
            FROM {DockerEngineFixture.BusyboxImage}
            RUN ["/bin/busybox", "echo", "fine"]
            RUN ["/bin/busybox", "sh", "-c", "echo npm ERR! missing script; exit 3"]
            RUN ["/bin/busybox", "echo", "never"]
            """);
        var lines = new List<BuildOutputLine>();
        var ownLog = new MiniPaas.Tests.Shared.Fakes.RecordingLogger<DockerImageBuilder>();
        var tag = NewTag();

        var result = await Builder(logger: ownLog).BuildAsync(repo.Path, "Dockerfile", tag, new Dictionary<string, string>(),
            new SynchronousProgress<BuildOutputLine>(lines.Add));

        Assert.False(result.Succeeded);
        Assert.NotNull(result.FailureReason);
        // MiniPaas's own log says that it failed, never what the build printed (it may print secrets; the pipeline masks).
        Assert.Contains(ownLog.Messages, m => m == $"Build of {tag} failed");
        Assert.DoesNotContain(ownLog.Messages, m => m.Contains("npm ERR!", StringComparison.Ordinal));
        Assert.StartsWith("Step 3/4 `RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo npm ERR! missing script; exit 3\"]` failed:", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains("returned a non-zero code: 3", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains("npm ERR! missing script", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.IsError && l.Text.Contains("non-zero code: 3", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Text == "never");
    }

    [Fact]
    public async Task BuildAsync_MissingDockerfile_FailsWithoutCallingTheEngine()
    {
        using var repo = new SampleRepo().With("index.html", "");

        var result = await Builder().BuildAsync(repo.Path, "Dockerfile", NewTag(), new Dictionary<string, string>(), new SynchronousProgress<BuildOutputLine>(_ => { }));

        Assert.False(result.Succeeded);
        Assert.Contains("Dockerfile 'Dockerfile' was not found", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildAsync_SlowerThanTimeout_FailsWithTimedOut()
    {
        using var repo = new SampleRepo().With("Dockerfile", $"""
            FROM {DockerEngineFixture.BusyboxImage}
            RUN ["/bin/busybox", "sleep", "20"]
            """);

        var result = await Builder(new BuilderOptions { BuildTimeout = TimeSpan.FromSeconds(2) })
            .BuildAsync(repo.Path, "Dockerfile", NewTag(), new Dictionary<string, string>(), new SynchronousProgress<BuildOutputLine>(_ => { }));

        Assert.False(result.Succeeded);
        Assert.Equal("Build timed out after 2 s.", result.FailureReason);
    }

    [Fact]
    public async Task BuildAsync_Cancelled_Throws()
    {
        using var repo = new SampleRepo().With("Dockerfile", $"""
            FROM {DockerEngineFixture.BusyboxImage}
            RUN ["/bin/busybox", "sleep", "20"]
            """);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Builder()
            .BuildAsync(repo.Path, "Dockerfile", NewTag(), new Dictionary<string, string>(), new SynchronousProgress<BuildOutputLine>(_ => { }), cts.Token));
    }

    [Fact]
    public async Task BuildAsync_GeneratedStaticSite_ImageServesIndexOnPort()
    {
        using var repo = new SampleRepo().With("index.html", "<h1>hello from minipaas</h1>").With(".dockerignore", "notes.txt").With("notes.txt", "x");
        var options = new BuilderOptions();
        options.BaseImages["static"] = DockerEngineFixture.BusyboxImage;
        var plan = new BuildPlanner(new StackDetector(), new DockerfileGenerator(new BaseImageCatalog(Options.Create(options)))).Plan(repo.Path);
        var tag = NewTag();
        var lines = new List<BuildOutputLine>();

        var result = await Builder(options).BuildAsync(repo.Path, plan.DockerfilePath, tag, new Dictionary<string, string>(), plan.ExtraFiles,
            new SynchronousProgress<BuildOutputLine>(lines.Add));

        Assert.True(result.Succeeded, result.FailureReason + "\n" + plan.GeneratedDockerfile + "\n" + string.Join('\n', lines.Select(l => l.Text)));
        Assert.False(File.Exists(Path.Combine(repo.Path, DockerfileGenerator.GeneratedFileName)));

        var port = LoopbackPort.Free();
        var container = await busybox.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = tag,
            Name = $"minipaas-test-static-{Guid.NewGuid():N}",
            Env = [$"PORT={port}"],
            HostConfig = new HostConfig { NetworkMode = "host" },
        });
        try
        {
            await busybox.Client.Containers.StartContainerAsync(container.ID, new ContainerStartParameters());
            var body = await HttpPolling.GetUntilAnsweredAsync(new Uri($"http://127.0.0.1:{port}/index.html"), TimeSpan.FromSeconds(15));

            Assert.Equal("<h1>hello from minipaas</h1>", body);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var notes = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/notes.txt"));
            Assert.Equal(HttpStatusCode.NotFound, notes.StatusCode);
            var dockerfile = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/{DockerfileGenerator.GeneratedFileName}"));
            Assert.Equal(HttpStatusCode.NotFound, dockerfile.StatusCode);
            var inspect = await busybox.Client.Containers.InspectContainerAsync(container.ID);
            Assert.Equal("10001:10001", inspect.Config.User);
        }
        finally
        {
            await busybox.Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }
    }


    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var image in _images)
        {
            try
            {
                await busybox.Client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true, NoPrune = true });
            }
            catch (DockerImageNotFoundException)
            {
                // Failed builds leave no image.
            }
        }
    }
}
