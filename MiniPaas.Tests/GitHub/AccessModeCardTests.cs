using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MiniPaas.Core.GitHub;
using MiniPaas.Web.Components.GitHub;
using MudBlazor.Services;

namespace MiniPaas.Tests.GitHub;

/// <summary>The System page's access card says whether the dashboard is loopback-only or behind GitHub sign-in.</summary>
public sealed class AccessModeCardTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();

    public AccessModeCardTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Render_NoClientId_SaysSingleOwnerLoopbackOnly()
    {
        _ctx.Services.AddSingleton(Options.Create(new GitHubOptions()));

        var card = _ctx.Render<AccessModeCard>();

        Assert.Equal("Single-owner local mode", card.Find("[data-testid=access-mode]").TextContent.Trim());
        Assert.Contains("loopback", card.Find("[data-testid=access-explanation]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SignInConfigured_ListsWhoMayEnter()
    {
        _ctx.Services.AddSingleton(Options.Create(new GitHubOptions { ClientId = "id", ClientSecret = "s", AllowedUsers = "alice,bob", AllowedOrgs = "acme" }));

        var card = _ctx.Render<AccessModeCard>();

        Assert.Equal("GitHub sign-in", card.Find("[data-testid=access-mode]").TextContent.Trim());
        Assert.Contains("alice, bob", card.Markup, StringComparison.Ordinal);
        Assert.Contains("acme", card.Markup, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();
}
