using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared.Fakes;
using MiniPaas.Web.Components.Pages;
using MudBlazor.Services;

namespace MiniPaas.Tests.Web;

public sealed class SystemPageTests : BunitContext
{
    private readonly FakeEngineStatus _engine = FakeEngineStatus.Connected("20.10.24");
    private readonly FakeDatabaseInfo _database = FakeDatabaseInfo.Configured();

    public SystemPageTests()
    {
        Services.AddMudServices();
        Services.AddOptions();
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<IEngineStatus>(_engine);
        Services.AddSingleton<IDatabaseInfo>(_database);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void Render_EngineConnected_ShowsConnectedWithVersion()
    {
        var page = Render<SystemPage>();

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
        var page = Render<SystemPage>();
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
        var page = Render<SystemPage>();

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

        var page = Render<SystemPage>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Private cluster (MiniPaas-managed)", page.Find("[data-testid=database-source]").TextContent.Trim());
            Assert.Equal("No", page.Find("[data-testid=database-reachable]").TextContent.Trim());
        });
    }

    [Fact]
    public void Render_DefaultOptions_ShowsWorkersIngressAutoPort()
    {
        var page = Render<SystemPage>();

        Assert.Equal("1", page.Find("[data-testid=build-workers]").TextContent.Trim());
        Assert.Equal("auto", page.Find("[data-testid=ingress-port]").TextContent.Trim());
        Assert.Equal("Yarp", page.Find("[data-testid=ingress-mode]").TextContent.Trim());
    }

    [Fact]
    public async Task Dispose_WhilePageOpen_StopsWatchingEngine()
    {
        var page = Render<SystemPage>();
        page.WaitForAssertion(() => Assert.Equal(1, _engine.WatcherCount));

        await DisposeComponentsAsync();

        page.WaitForAssertion(() => Assert.Equal(0, _engine.WatcherCount));
    }
}
