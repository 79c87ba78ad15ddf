using System.Net;
using MiniPaas.Core.Projects;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Web;

/// <summary>
/// The whole app with <c>AppsDomain</c> set to a real-looking domain, the dashboard's own host under it
/// (<c>MiniPaas:Dashboard:Hosts</c>) and GitHub sign-in configured: that host is the dashboard's, never an app's.
/// </summary>
[Trait("Needs", "Docker")]
public sealed class DashboardHostUnderAppsDomainTests(DashboardHostUnderAppsDomainTests.Fixture app)
    : IClassFixture<DashboardHostUnderAppsDomainTests.Fixture>
{
    private const string AppsDomain = "apps.example.test";
    private const string DashboardHost = "paas." + AppsDomain;

    public sealed class Fixture : DeployAppFixture
    {
        protected override void ConfigureSettings(IDictionary<string, string?> settings)
        {
            base.ConfigureSettings(settings);
            settings["MiniPaas:Ingress:AppsDomain"] = AppsDomain;
            settings["MiniPaas:Dashboard:Hosts:0"] = DashboardHost;
            // Sign-in on (never contacted here): the gate must treat the dashboard host like any other dashboard request.
            settings["MiniPaas:GitHub:ClientId"] = "guard-test-client";
            settings["MiniPaas:GitHub:ClientSecret"] = "guard-test-secret";
            settings["MiniPaas:GitHub:AllowedUsers"] = "octocat";
        }
    }

    [Fact]
    public async Task Get_DashboardHostWithoutSignIn_NotServedAsAnApp_SignInRequired()
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.Host = $"{DashboardHost}:{app.BaseAddress.Port}";
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        // Not the ingress (no "No app called paas"), not the dashboard itself: the way to sign in.
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.Unauthorized,
            $"{(int)response.StatusCode}: {body}");
        Assert.DoesNotContain("MiniPaas ingress", body, StringComparison.Ordinal);
        Assert.DoesNotContain("_framework/blazor", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_DashboardHostOnIngressPort_IngressNotFound()
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{app.IngressPort}/"));
        request.Headers.Host = $"{DashboardHost}:{app.IngressPort}";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No app at this address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateProject_SubdomainThatIsTheDashboardHost_Refused()
    {
        using var repo = await SampleRepo.CreateAsync(MiniPaas.Tests.Deploying.DeployEngineTests.BusyboxSite("collides"));

        var result = await app.Projects.CreateAsync(new ProjectSpec("Panel", "paas", repo.Path));

        Assert.False(result.Succeeded);
        Assert.Contains(DashboardHost, result.Errors[nameof(ProjectSpec.Subdomain)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateProject_OtherSubdomain_Accepted()
    {
        using var repo = await SampleRepo.CreateAsync(MiniPaas.Tests.Deploying.DeployEngineTests.BusyboxSite("fine"));
        var subdomain = $"shop-{Guid.NewGuid():N}"[..12];

        var result = await app.Projects.CreateAsync(new ProjectSpec(subdomain, subdomain, repo.Path));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Key}: {e.Value}")));
        Assert.Equal(new Uri($"http://{subdomain}.{AppsDomain}:{app.IngressPort}/"), app.Ingress.BaseUrlFor(subdomain));
    }
}
