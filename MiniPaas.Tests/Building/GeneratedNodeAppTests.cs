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
public sealed class GeneratedNodeAppTests(DockerEngineFixture node) : IClassFixture<DockerEngineFixture>
{
    [Fact]
    public async Task BuildAsync_GeneratedNodeDockerfile_RunsAsNonRootAndServesOnPort()
    {
        using var repo = new SampleRepo()
            .With("package.json", """{"name":"hello","version":"1.0.0","scripts":{"start":"node server.js"}}""")
            .With("package-lock.json", """{"name":"hello","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{"":{"name":"hello","version":"1.0.0"}}}""")
            .With("server.js", """
                require('http').createServer((req, res) => res.end('node ok as ' + process.getuid()))
                  .listen(Number(process.env.PORT), '127.0.0.1');
                """);
        var options = new BuilderOptions { NetworkMode = "host" };
        options.BaseImages["node"] = DockerEngineFixture.NodeImage;
        var plan = new BuildPlanner(new StackDetector(), new DockerfileGenerator(new BaseImageCatalog(Options.Create(options)))).Plan(repo.Path);
        var builder = new DockerImageBuilder(
            new BuildEngineClient(new MiniPaas.Core.Deploying.Docker.DockerClientProvider(Options.Create(new DockerOptions()))), Options.Create(options), TimeProvider.System, NullLogger<DockerImageBuilder>.Instance);
        var tag = $"minipaas-test/build:{Guid.NewGuid():N}";
        var lines = new List<BuildOutputLine>();

        var result = await builder.BuildAsync(repo.Path, plan.DockerfilePath, tag, new Dictionary<string, string>(), plan.ExtraFiles,
            new SynchronousProgress<BuildOutputLine>(lines.Add));
        try
        {
            Assert.True(result.Succeeded, result.FailureReason + "\n" + plan.GeneratedDockerfile + "\n" + string.Join('\n', lines.Select(l => l.Text)));
            Assert.Contains(lines, l => l.Text.Contains("RUN npm ci", StringComparison.Ordinal));

            var port = LoopbackPort.Free();
            var container = await node.Client.Containers.CreateContainerAsync(new CreateContainerParameters
            {
                Image = tag,
                Env = [$"PORT={port}"],
                HostConfig = new HostConfig { NetworkMode = "host" },
            });
            try
            {
                await node.Client.Containers.StartContainerAsync(container.ID, new ContainerStartParameters());
                Assert.Equal("node ok as 10001", await HttpPolling.GetUntilAnsweredAsync(new Uri($"http://127.0.0.1:{port}/"), TimeSpan.FromSeconds(20)));
            }
            finally
            {
                await node.Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
            }
        }
        finally
        {
            if (result.Succeeded)
            {
                await node.Client.Images.DeleteImageAsync(tag, new ImageDeleteParameters { Force = true, NoPrune = true });
            }
        }
    }

}
