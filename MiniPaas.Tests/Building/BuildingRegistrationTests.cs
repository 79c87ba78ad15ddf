using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniPaas.Core.Building;
using MiniPaas.Core.Building.Docker;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Tests.Building;

public sealed class BuildingRegistrationTests
{
    [Fact]
    public void AddMiniPaasCore_WithBaseImageSetting_ResolvesBuildingServicesAndHonoursConfiguration()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["MiniPaas:Builder:BaseImages:node"] = "registry.local/node:22";
        builder.AddMiniPaasCore();
        using var services = builder.Services.BuildServiceProvider();

        Assert.IsType<DockerImageBuilder>(services.GetRequiredService<IImageBuilder>());
        Assert.NotNull(services.GetRequiredService<StackDetector>());
        Assert.NotNull(services.GetRequiredService<DockerfileGenerator>());
        Assert.NotNull(services.GetRequiredService<BuildPlanner>());
        var catalog = services.GetRequiredService<BaseImageCatalog>();
        Assert.Equal("registry.local/node:22", catalog.Resolve("node"));
        Assert.Equal("python:3.12-slim", catalog.Resolve("python"));
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:9.0", catalog.Resolve("dotnet-sdk"));
        Assert.Throws<KeyNotFoundException>(() => catalog.Resolve("cobol"));
    }
}
