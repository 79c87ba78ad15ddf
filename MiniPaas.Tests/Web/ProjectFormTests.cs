using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Ingress;
using MiniPaas.Web.Components.Pages.ProjectsDetail;
using MudBlazor.Services;

namespace MiniPaas.Tests.Web;

// Composition rather than inheriting BunitContext: xunit 2 disposes test classes synchronously, and MudBlazor's services are async-disposable only.
public sealed class ProjectFormTests : IAsyncLifetime
{
    private readonly BunitContext _ctx = new();

    public ProjectFormTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton(new IngressEndpoint(8080, "localhost", new Uri("http://localhost:3000/")));
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Render_WithServerErrors_ShowsEachAtItsField()
    {
        var errors = new Dictionary<string, string>
        {
            ["Subdomain"] = "'admin' is reserved by MiniPaas; choose another name.",
            ["SourceUrl"] = "A repository cannot start with '-'.",
        };

        var form = _ctx.Render<ProjectForm>(p => p.Add(f => f.Model, new ProjectFormModel()).Add(f => f.Errors, errors));

        Assert.Contains("'admin' is reserved by MiniPaas", form.Find("[data-testid=field-error-Subdomain]").TextContent, StringComparison.Ordinal);
        Assert.Contains("A repository cannot start with '-'.", form.Find("[data-testid=field-error-SourceUrl]").TextContent, StringComparison.Ordinal);
        Assert.Empty(form.FindAll("[data-testid=field-error-Name]"));
    }

    [Fact]
    public void TypingName_SubdomainNotEdited_SuggestsSubdomainWithPreview()
    {
        var model = new ProjectFormModel();
        var form = _ctx.Render<ProjectForm>(p => p.Add(f => f.Model, model).Add(f => f.SuggestsSubdomain, true));

        form.Find("#project-name").Input("My Shop");

        Assert.Equal("my-shop", model.Subdomain);
        Assert.Equal("http://my-shop.localhost:8080/", form.Find("[data-testid=subdomain-preview]").TextContent);
    }

    [Fact]
    public void TypingName_AfterSubdomainEditedByHand_KeepsSubdomain()
    {
        var model = new ProjectFormModel();
        var form = _ctx.Render<ProjectForm>(p => p.Add(f => f.Model, model).Add(f => f.SuggestsSubdomain, true));

        form.Find("#project-subdomain").Input("storefront");
        form.Find("#project-name").Input("My Shop");

        Assert.Equal("storefront", model.Subdomain);
        Assert.Equal("My Shop", model.Name);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();
}
