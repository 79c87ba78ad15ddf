using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared.Fakes;
using MiniPaas.Web.Components.Pages;
using MudBlazor.Services;

namespace MiniPaas.Tests.Web;

// Composition rather than inheriting BunitContext: xunit 2 disposes test classes synchronously, and MudBlazor's services are async-disposable only.
public sealed class SystemPageTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();

    private readonly FakeEngineStatus _engine = FakeEngineStatus.Connected("20.10.24");
    private readonly FakeDatabaseInfo _database = FakeDatabaseInfo.Configured();

    public SystemPageTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.Services.AddOptions();
        _ctx.Services.AddSingleton(TimeProvider.System);
        _ctx.Services.AddSingleton<IEngineStatus>(_engine);
        _ctx.Services.AddSingleton<IDatabaseInfo>(_database);
        _ctx.Services.AddAnalyticsForComponents();
        _ctx.Services.AddLogStorageForComponents();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void Render_EngineConnected_ShowsConnectedWithVersion()
    {
        var page = _ctx.Render<SystemPage>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Connected", page.Find("[data-testid=docker-status]").TextContent.Trim());
            Assert.Equal("20.10.24", page.Find("[data-testid=docker-version]").TextContent.Trim());
            Assert.Equal("1.41", page.Find("[data-testid=docker-api-version]").TextContent.Trim());
        });
    }

    [Fact]
    public void Render_EngineDropsWhileOpen_SwitchesToDisconnectedLive()
    {
        var page = _ctx.Render<SystemPage>();
        page.WaitForAssertion(() => Assert.Equal(1, _engine.WatcherCount));

        _engine.Publish(new EngineStatus(false, "unix:///var/run/docker.sock", null, null, "connection refused", DateTimeOffset.UnixEpoch));

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Disconnected", page.Find("[data-testid=docker-status]").TextContent.Trim());
            Assert.Contains("connection refused", page.Find("[data-testid=docker-error]").TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_ConfiguredDatabase_ShowsSourceAddressAndReachability()
    {
        var page = _ctx.Render<SystemPage>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Configured connection string", page.Find("[data-testid=database-source]").TextContent.Trim());
            Assert.Equal("127.0.0.1:5432/minipaas", page.Find("[data-testid=database-address]").TextContent.Trim());
            Assert.Equal("Yes", page.Find("[data-testid=database-reachable]").TextContent.Trim());
        });
    }

    [Fact]
    public void Render_PrivateClusterUnreachable_ShowsSourceAndNo()
    {
        _database.Current = new DatabaseDescription(DatabaseSource.PrivateCluster, "127.0.0.1", 54329, "minipaas", "/data/pg");
        _database.IsReachable = false;

        var page = _ctx.Render<SystemPage>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Private cluster (MiniPaas-managed)", page.Find("[data-testid=database-source]").TextContent.Trim());
            Assert.Equal("No", page.Find("[data-testid=database-reachable]").TextContent.Trim());
        });
    }

    [Fact]
    public void Render_DatabaseResolvedAfterOpening_ShowsItWithoutReload()
    {
        var resolved = _database.Current;
        _database.Current = null;
        var page = _ctx.Render<SystemPage>();
        Assert.Contains("Resolving", page.Find("[data-testid=database-source]").TextContent, StringComparison.Ordinal);

        _database.Current = resolved;

        page.WaitForAssertion(
            () => Assert.Equal("Configured connection string", page.Find("[data-testid=database-source]").TextContent.Trim()),
            TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Render_DefaultOptions_ShowsWorkersIngressAutoPort()
    {
        var page = _ctx.Render<SystemPage>();

        Assert.Equal("1", page.Find("[data-testid=build-workers]").TextContent.Trim());
        Assert.Equal("auto", page.Find("[data-testid=ingress-port]").TextContent.Trim());
        Assert.Equal("Yarp", page.Find("[data-testid=ingress-mode]").TextContent.Trim());
    }

    [Fact]
    public async Task Dispose_WhilePageOpen_StopsWatchingEngine()
    {
        var page = _ctx.Render<SystemPage>();
        page.WaitForAssertion(() => Assert.Equal(1, _engine.WatcherCount));

        await _ctx.DisposeComponentsAsync();

        page.WaitForAssertion(() => Assert.Equal(0, _engine.WatcherCount));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();
}
