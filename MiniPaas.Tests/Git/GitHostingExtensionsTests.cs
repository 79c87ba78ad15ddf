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
}
