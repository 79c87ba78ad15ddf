using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Projects;
using MiniPaas.Tests.Shared.Fakes;
using ProjectsPage = MiniPaas.Web.Components.Pages.Projects;
using MudBlazor.Services;

namespace MiniPaas.Tests.Web;

// Composition rather than inheriting BunitContext: xunit 2 disposes test classes synchronously, and MudBlazor's services are async-disposable only.
public sealed class ProjectsPageTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();

    private readonly FakeProjectDirectory _directory = new();

    public ProjectsPageTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton<IProjectDirectory>(_directory);
        _ctx.Services.AddAnalyticsForComponents();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Render_NoProjects_ShowsEmptyStateWithNewProjectLink()
    {
        var page = _ctx.Render<ProjectsPage>();

        page.WaitForAssertion(() =>
        {
            var empty = page.Find("[data-testid=projects-empty]");
            Assert.Contains("No projects yet — create one from a git repository URL or a local folder", empty.TextContent, StringComparison.Ordinal);
            Assert.Equal("/projects/new", page.Find("[data-testid=empty-new-project]").GetAttribute("href"));
        });
    }

    [Fact]
    public void Render_WhileLoading_ShowsSkeletonsThenList()
    {
        _directory.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _directory.Projects.Add(new ProjectSummary(7, "shop", "shop", "Running", "http://shop.localhost/", DateTimeOffset.UnixEpoch));

        var page = _ctx.Render<ProjectsPage>();
        Assert.NotNull(page.Find("[data-testid=projects-loading]"));

        _directory.Gate.SetResult();

        page.WaitForAssertion(() =>
        {
            var table = page.Find("[data-testid=projects-table]");
            Assert.Contains("shop", table.TextContent, StringComparison.Ordinal);
            Assert.Contains("Running", table.TextContent, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_DatabaseDown_ShowsUnreachableError()
    {
        _directory.Failure = new TimeoutException("Connection to 127.0.0.1:5432 timed out");

        var page = _ctx.Render<ProjectsPage>();

        page.WaitForAssertion(() =>
        {
            var error = page.Find("[data-testid=projects-error]");
            Assert.Contains("database is unreachable", error.TextContent, StringComparison.Ordinal);
            Assert.Contains("timed out", error.TextContent, StringComparison.Ordinal);
        });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();
}
