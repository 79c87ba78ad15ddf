using System.Net.Sockets;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using MiniPaas.Web.Components.Layout;
using MudBlazor.Services;
using Npgsql;

namespace MiniPaas.Tests.Web;

/// <summary>
/// The layout's error boundary with a live circuit: a page that fails because the database is unreachable does not end the
/// circuit, and it is rendered again once <see cref="DatabaseAvailability"/> (checking a real PostgreSQL) sees the database.
/// </summary>
public sealed class MainLayoutDatabaseTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();
    private DatabaseAvailability _availability = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await (await PostgresFixture.GetAsync()).CreateDatabaseAsync("layout_db");
        var connection = new DatabaseConnection();
        connection.SetReady(new ResolvedDatabase(connectionString, new DatabaseDescription(DatabaseSource.Configured, "127.0.0.1", 0, "layout", "test")));
        _availability = new DatabaseAvailability(connection, TimeProvider.System, NullLogger<DatabaseAvailability>.Instance);
        await _availability.StartAsync(CancellationToken.None);
        _ctx.Services.AddMudServices();
        _ctx.Services.AddOptions();
        _ctx.Services.AddSingleton(_availability);
        _ctx.AddAuthorization();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public async Task DisposeAsync()
    {
        await _ctx.DisposeAsync();
        await _availability.StopAsync(CancellationToken.None);
        _availability.Dispose();
    }

    [Fact]
    public void Render_PageFailsOnUnreachableDatabase_CircuitSurvivesAndPageRendersAgainWhenItAnswers()
    {
        var page = new PageState();

        var layout = _ctx.Render<MainLayout>(p => p.Add(l => l.Body, builder =>
        {
            builder.OpenComponent<DatabaseHungryPage>(0);
            builder.AddAttribute(1, nameof(DatabaseHungryPage.State), page);
            builder.CloseComponent();
        }));

        layout.WaitForAssertion(() => Assert.Equal("page content", layout.Find("[data-testid=hungry-page]").TextContent), TimeSpan.FromSeconds(30));
        Assert.Equal(2, page.Attempts);
        Assert.Empty(layout.FindAll("[data-testid=database-banner]"));
        Assert.Empty(layout.FindAll("[data-testid=page-error]"));
    }

    public sealed class PageState
    {
        public int Attempts { get; set; }
    }

    /// <summary>Loads "data" on init; the first load meets a connection PostgreSQL dropped.</summary>
    private sealed class DatabaseHungryPage : ComponentBase
    {
        [Parameter]
        public PageState State { get; set; } = null!;

        protected override void OnInitialized()
        {
            State.Attempts++;
            if (State.Attempts == 1)
            {
                throw new NpgsqlException("Exception while reading from stream", new SocketException((int)SocketError.ConnectionReset));
            }
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddAttribute(1, "data-testid", "hungry-page");
            builder.AddContent(2, "page content");
            builder.CloseElement();
        }
    }
}
