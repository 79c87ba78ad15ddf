using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Analytics.Stats;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Variables;
using MiniPaas.Web.Components.Analytics;
using MudBlazor.Services;

namespace MiniPaas.Tests.Web;

/// <summary>ResourceCharts fed through its live feed (bUnit) over a real, empty samples table.</summary>
// Composition rather than inheriting BunitContext: xunit 2 disposes test classes synchronously, and MudBlazor's services are async-disposable only.
[Trait("Needs", "Postgres")]
public sealed class ResourceChartsTests : IAsyncLifetime
{
    private const long MiB = 1024 * 1024;
    // Generous: the first query and the first MudBlazor chart render are slow on a loaded 2-core machine.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly BunitContext _ctx = new();
    private readonly ContainerStatsFeed _feed = new();
    private IDbContextFactory<MiniPaasDbContext> _contexts = null!;
    private long _projectId;
    private long _seq;

    public async Task InitializeAsync()
    {
        _contexts = await (await PostgresFixture.GetAsync()).CreateMigratedContextFactoryAsync("resource_charts");
        _projectId = await VariablesTestStore.AddProjectAsync(_contexts, "charts-" + Guid.NewGuid().ToString("N")[..6]);
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton(TimeProvider.System);
        _ctx.Services.AddSingleton(_feed);
        _ctx.Services.AddSingleton(new ContainerStatsStore(_contexts));
        _ctx.Services.AddSingleton(Options.Create(new ContainerStatsOptions { Interval = TimeSpan.FromSeconds(10) }));
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    private ContainerStatsSample Sample(double cpu, long memoryMiB, DateTimeOffset? at = null) =>
        new(++_seq, _projectId, null, "c1", at ?? DateTimeOffset.UtcNow, cpu, memoryMiB * MiB, 128 * MiB, null, null, 0, 0);

    [Fact]
    public void Render_NoSamplesThenLiveOnes_EmptyStateThenLatestValues()
    {
        var charts = _ctx.Render<ResourceCharts>(p => p.Add(c => c.ProjectId, _projectId));
        charts.WaitForAssertion(() => Assert.Contains("every 10 s", charts.Find("[data-testid=resource-empty]").TextContent, StringComparison.Ordinal), Patience);
        charts.WaitForAssertion(() => Assert.Equal(1, _feed.SubscriberCount(_projectId)), Patience);

        _feed.Publish(_projectId, Sample(12.5, 48));
        _feed.Publish(_projectId, Sample(37.5, 80));

        charts.WaitForAssertion(() =>
        {
            // Both samples fall in one 30 s bucket of the 1 h window: their average.
            Assert.Equal("25.0 %", charts.Find("[data-testid=resource-cpu-latest]").TextContent.Trim());
            Assert.Equal("64.0 MiB of 128 MiB", charts.Find("[data-testid=resource-memory-latest]").TextContent.Trim());
        }, Patience);
        Assert.Empty(charts.FindAll("[data-testid=resource-empty]"));
    }

    [Fact]
    public void Render_BurstOfSamples_RendersAFewTimesNotOncePerSample()
    {
        var charts = _ctx.Render<ResourceCharts>(p => p.Add(c => c.ProjectId, _projectId));
        charts.WaitForAssertion(() => Assert.Equal(1, _feed.SubscriberCount(_projectId)), Patience);
        charts.WaitForAssertion(() => charts.Find("[data-testid=resource-empty]"), Patience);
        var before = charts.RenderCount;

        for (var i = 0; i < 300; i++)
        {
            _feed.Publish(_projectId, Sample(i % 100, 10 + (i % 50)));
        }

        charts.WaitForAssertion(() => Assert.NotEmpty(charts.FindAll("[data-testid=resource-cpu-latest]")), Patience);
        Thread.Sleep(600); // let any trailing throttled render happen
        Assert.InRange(charts.RenderCount - before, 1, 10);
    }

    [Fact]
    public async Task Render_FixedRange_ShowsHistoryAndIgnoresLiveSamples()
    {
        var end = DateTimeOffset.UtcNow;
        var store = new ContainerStatsStore(_contexts);
        await store.AddAsync([new StatsReading(_projectId, null, "c1", end.AddMinutes(-10), new ResourceUsage(40, 32 * MiB, 128 * MiB, null, null, 0, 0))]);

        var charts = _ctx.Render<ResourceCharts>(p => p.Add(c => c.ProjectId, _projectId).Add(c => c.To, end).Add(c => c.Range, TimeSpan.FromHours(1)));
        charts.WaitForAssertion(() => Assert.Equal("32.0 MiB of 128 MiB", charts.Find("[data-testid=resource-memory-latest]").TextContent.Trim()), Patience);

        // A fixed range in the past does not follow the live feed.
        Assert.Equal(0, _feed.SubscriberCount(_projectId));
        _feed.Publish(_projectId, Sample(99, 100));
        await Task.Delay(600);
        Assert.Equal("40.0 %", charts.Find("[data-testid=resource-cpu-latest]").TextContent.Trim());
        Assert.Equal("32.0 MiB of 128 MiB", charts.Find("[data-testid=resource-memory-latest]").TextContent.Trim());
    }
}
