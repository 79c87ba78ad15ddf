using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Deploying.Docker;
using MiniPaas.Core.Ingress.Traefik;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Ingress.Traefik;

/// <summary>Traefik labels as the runtime puts them on a real container, once the container's port is known.</summary>
[Trait("Category", "Docker")]
public sealed class TraefikContainerLabelsTests(DockerEngineFixture engine) : IClassFixture<DockerEngineFixture>
{
    private static TraefikContainerLabels Labels(string mode, string network = "host") => new(
        Options.Create(new IngressOptions { Mode = mode, AppsDomain = "Apps.Example.com" }),
        Options.Create(new TraefikOptions { EntryPoint = "websecure" }),
        Options.Create(new RuntimeOptions { NetworkMode = network, BridgeNetwork = "minipaas-apps" }));

    [Fact]
    public void LabelsFor_Modes_TraefikBuildsValidatedLabelsYarpNone()
    {
        Assert.Empty(Labels("Yarp").LabelsFor("demo", 8080));

        var bridge = TraefikLabels.Parse(Labels("Traefik", "bridge").LabelsFor("demo", 8080));
        Assert.Equal(new TraefikRoute("demo", "apps.example.com", 8080, "websecure", "minipaas-apps"), bridge);
        Assert.Null(TraefikLabels.Parse(Labels("Traefik", "host").LabelsFor("demo", 8080))!.Network);
        Assert.Throws<ArgumentException>(() => Labels("Traefik").LabelsFor("demo`)||Host(`x", 8080));
    }

    [Fact]
    public async Task StartAsync_TraefikMode_ContainerCarriesRouterForItsActualPort()
    {
        using var clients = new DockerClientProvider(Options.Create(new DockerOptions { Endpoint = engine.Endpoint }));
        using var runtime = new DockerContainerRuntime(
            clients,
            Options.Create(new RuntimeOptions { NetworkMode = "host" }),
            TimeProvider.System,
            NullLogger<DockerContainerRuntime>.Instance,
            Labels("Traefik"));
        var name = DockerEngineFixture.UniqueName("traefik");
        var image = $"minipaas-test/traefik-sleep:{Guid.NewGuid():N}"[..48];
        await engine.BuildImageAsync(image, $$"""
            FROM {{DockerEngineFixture.BusyboxImage}}
            CMD ["sleep", "300"]
            """);
        try
        {
            var started = await runtime.StartAsync(new ContainerSpec(
                name,
                image,
                new Dictionary<string, string>(),
                new Dictionary<string, string> { [ContainerLabels.Subdomain] = "shop", [DockerEngineFixture.TestLabel] = "true" },
                0,
                null,
                null));

            var inspected = await engine.Client.Containers.InspectContainerAsync(started.Id);
            var route = TraefikLabels.Parse(inspected.Config.Labels.AsReadOnly());
            var port = int.Parse(started.Upstream!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(new TraefikRoute("shop", "apps.example.com", port, "websecure", null), route);
            Assert.Equal("Host(`shop.apps.example.com`)", inspected.Config.Labels["traefik.http.routers.minipaas-shop.rule"]);
            Assert.Equal("true", inspected.Config.Labels[ContainerLabels.Managed]);
        }
        finally
        {
            await engine.RemoveContainerQuietlyAsync(name);
            await engine.RemoveImageQuietlyAsync(image);
        }
    }
}
