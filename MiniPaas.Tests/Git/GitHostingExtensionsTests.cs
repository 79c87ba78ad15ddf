using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Git;

namespace MiniPaas.Tests.Git;

public sealed class GitHostingExtensionsTests
{
    [Fact]
    public void AddMiniPaasCore_RegistersGitClientAndWorkspace()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["MiniPaas:DataDirectory"] = "/tmp/minipaas-di-test";
        builder.AddMiniPaasCore();
        using var services = builder.Services.BuildServiceProvider();

        Assert.IsType<CliGitClient>(services.GetRequiredService<IGitClient>());
        Assert.Equal("/tmp/minipaas-di-test/work/5", services.GetRequiredService<WorkspaceDirectory>().PathFor(5));
    }

    [Fact]
    public void AddMiniPaasCore_BuilderLimitsConfigured_GitClientUsesThem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["MiniPaas:DataDirectory"] = "/tmp/minipaas-di-test";
        builder.Configuration["MiniPaas:Builder:CloneTimeout"] = "00:00:42";
        builder.Configuration["MiniPaas:Builder:MaxCloneBytes"] = "5242880";
        builder.AddMiniPaasCore();
        using var services = builder.Services.BuildServiceProvider();

        var client = Assert.IsType<CliGitClient>(services.GetRequiredService<IGitClient>());
        Assert.Equal(TimeSpan.FromSeconds(42), client.CloneTimeout);
        Assert.Equal(5L << 20, client.MaxCloneBytes);
    }
}
