using Bunit;
using MiniPaas.Core.Deploying;
using MiniPaas.Web.Components.Pages.ProjectsDetail;
using MudBlazor.Services;

namespace MiniPaas.Tests.Web;

public sealed class ContainerLimitsLineTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();

    public ContainerLimitsLineTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Render_EffectiveLimits_ShowsCpuMemoryAndProcessesOnOneLine()
    {
        var line = _ctx.Render<ContainerLimitsLine>(p => p.Add(c => c.Limits, new ContainerLimits(0.5, 384, 128)));

        Assert.Equal("Limits: 0.5 CPU · 384 MiB · 128 processes", line.Find("[data-testid=container-limits]").TextContent.Trim());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();
}
