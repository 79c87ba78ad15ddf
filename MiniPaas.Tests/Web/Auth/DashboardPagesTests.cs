using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace MiniPaas.Tests.Web.Auth;

/// <summary>The router takes a page away from a circuit whose session ended only if the page asks for authorization.</summary>
public sealed class DashboardPagesTests
{
    // The status pages re-executed by the pipeline stay free of authorization metadata (the fallback policy still covers them).
    private static readonly string[] StatusPages = ["NotFound", "Error"];

    [Fact]
    public void Pages_EveryRoutableComponent_RequiresAuthorization()
    {
        var pages = typeof(MiniPaas.Web.Components.App).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes<RouteAttribute>().Any() && !StatusPages.Contains(t.Name))
            .ToList();

        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.True(page.GetCustomAttribute<AuthorizeAttribute>() is not null, $"{page.Name} has no [Authorize]"));
        Assert.Contains(pages, p => p.Name == "SettingsPage");
    }
}
