using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Web.Api.Authentication;

namespace MiniPaas.Tests.Api;

/// <summary>Every /api endpoint refuses a missing or wrong token with a JSON 401, and answers unknown ids with a JSON 404.</summary>
[Trait("Needs", "Docker")]
public sealed class ApiAuthenticationTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    private const long UnknownId = 987_654_321;

    public static TheoryData<string, string> Endpoints() => new()
    {
        { "GET", "/api/projects" },
        { "POST", "/api/projects" },
        { "GET", $"/api/projects/{UnknownId}" },
        { "PUT", $"/api/projects/{UnknownId}" },
        { "DELETE", $"/api/projects/{UnknownId}" },
        { "POST", $"/api/projects/{UnknownId}/deploy" },
        { "GET", $"/api/projects/{UnknownId}/deployments" },
        { "GET", $"/api/projects/{UnknownId}/env" },
        { "POST", $"/api/projects/{UnknownId}/env" },
        { "PUT", $"/api/projects/{UnknownId}/env/SOME_KEY" },
        { "DELETE", $"/api/projects/{UnknownId}/env/SOME_KEY" },
        { "GET", $"/api/projects/{UnknownId}/env/suggest" },
        { "GET", $"/api/projects/{UnknownId}/analytics" },
        { "GET", $"/api/projects/{UnknownId}/visitors" },
        { "GET", $"/api/projects/{UnknownId}/requests" },
        { "GET", $"/api/projects/{UnknownId}/resources" },
        { "GET", $"/api/deployments/{UnknownId}" },
        { "POST", $"/api/deployments/{UnknownId}/stop" },
        { "POST", $"/api/deployments/{UnknownId}/rollback" },
        { "DELETE", $"/api/deployments/{UnknownId}" },
        { "GET", $"/api/deployments/{UnknownId}/build-logs" },
        { "GET", $"/api/deployments/{UnknownId}/build-logs?follow=true" },
        { "GET", $"/api/deployments/{UnknownId}/runtime-logs" },
        { "GET", $"/api/deployments/{UnknownId}/runtime-logs?follow=true" },
        { "GET", "/api/system" },
    };

    public static TheoryData<string, string> EndpointsWithIds()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in Endpoints())
        {
            var (method, path) = ((string)row[0], (string)row[1]);
            if (path.Contains(UnknownId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
            {
                data.Add(method, path);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_WithoutToken_401Problem(string method, string path)
    {
        using var client = app.CreateClient();
        using var response = await client.SendAsync(Request(method, path));

        var problem = await response.AssertProblemAsync(401);
        Assert.Contains("Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Endpoint_WithWrongToken_401Problem(string method, string path)
    {
        using var client = app.CreateApiClient(ApiTokenService.TokenPrefix + "not-a-real-token-0123456789abcdef");
        using var response = await client.SendAsync(Request(method, path));

        var problem = await response.AssertProblemAsync(401);
        Assert.Contains("unknown or revoked", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EndpointsWithIds))]
    public async Task Endpoint_UnknownId_404Problem(string method, string path)
    {
        using var client = app.CreateApiClient();
        using var response = await client.SendAsync(Request(method, path));

        var problem = await response.AssertProblemAsync(404);
        Assert.Contains(UnknownId.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownApiRoute_404ProblemNotTheDashboardPage()
    {
        using var client = app.CreateApiClient();
        using var response = await client.GetAsync(new Uri("/api/no-such-thing", UriKind.Relative));

        await response.AssertProblemAsync(404);
    }

    [Fact]
    public async Task Policy_NamesOnlyTheTokenScheme_SoADashboardCookieNeverAuthorizes()
    {
        var policy = await app.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(ApiTokenDefaults.Policy);

        Assert.NotNull(policy);
        Assert.Equal([ApiTokenDefaults.Scheme], policy.AuthenticationSchemes);
    }

    [Fact]
    public async Task StoredToken_WorksAndRecordsLastUse_ThenRevoked_401()
    {
        var tokens = app.Get<ApiTokenService>();
        var created = await tokens.CreateAsync("test " + Guid.NewGuid().ToString("N")[..6], ApiScope.Admin);
        Assert.StartsWith(ApiTokenService.TokenPrefix, created.Token, StringComparison.Ordinal);
        Assert.Null(created.View.LastUsedAt);
        using var client = app.CreateApiClient(created.Token);

        using (var ok = await client.GetAsync(new Uri("/api/projects", UriKind.Relative)))
        {
            Assert.Equal(200, (int)ok.StatusCode);
        }

        var listed = (await tokens.ListAsync()).Single(t => t.Id == created.View.Id);
        Assert.NotNull(listed.LastUsedAt);
        Assert.DoesNotContain(created.Token, listed.ToString(), StringComparison.Ordinal);

        Assert.True(await tokens.RevokeAsync(created.View.Id));
        using var refused = await client.GetAsync(new Uri("/api/projects", UriKind.Relative));
        await refused.AssertProblemAsync(401);
    }

    [Fact]
    public async Task BearerSchemeCaseAndSpacing_Tolerated()
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/system", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "bearer  " + app.Token);
        using var response = await client.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
    }

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method is "POST" or "PUT")
        {
            request.Content = path.Contains("/env", StringComparison.Ordinal)
                ? JsonContent.Create(new { key = "SOME_KEY", value = "v" })
                : JsonContent.Create(new { name = "x", subdomain = "x", repoUrl = "/tmp/x" });
        }

        if (path.Contains("follow=true", StringComparison.Ordinal))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        return request;
    }
}
