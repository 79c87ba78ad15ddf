using System.Net;
using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Api;

/// <summary>Stored tokens' scopes (read, deploy, admin) and expiry against the whole app (real PostgreSQL, real engine).</summary>
[Trait("Needs", "Docker")]
public sealed class ApiTokenScopeTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    private const long UnknownId = 987_654_321;

    public static TheoryData<string, string> UnsafeEndpoints()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in ApiAuthenticationTests.Endpoints())
        {
            if ((string)row[0] != "GET")
            {
                data.Add((string)row[0], (string)row[1]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UnsafeEndpoints))]
    public async Task ReadToken_PostPutDelete_403ProblemNamingTheScope(string method, string path)
    {
        using var client = app.CreateApiClient(await CreateTokenAsync(ApiScope.Read));
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        var problem = await response.AssertProblemAsync(403);
        Assert.Contains("scope (read)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/projects")]
    [InlineData("/api/system")]
    public async Task ReadToken_Get_Answers(string path)
    {
        using var client = app.CreateApiClient(await CreateTokenAsync(ApiScope.Read));

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(ApiScope.Read, "true")]
    [InlineData(ApiScope.Read, "1")]
    [InlineData(ApiScope.Deploy, "true")]
    public async Task NonAdminToken_RevealVariables_403(ApiScope scope, string reveal)
    {
        using var client = app.CreateApiClient(await CreateTokenAsync(scope));

        using var list = await client.GetAsync(new Uri($"/api/projects/{UnknownId}/env?reveal={reveal}", UriKind.Relative));
        using var suggest = await client.GetAsync(new Uri($"/api/projects/{UnknownId}/env/suggest?reveal={reveal}", UriKind.Relative));

        var problem = await list.AssertProblemAsync(403);
        Assert.Contains("needs the admin scope", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await suggest.AssertProblemAsync(403);
    }

    [Fact]
    public async Task ReadToken_MaskedVariables_PassesToTheEndpoint()
    {
        using var client = app.CreateApiClient(await CreateTokenAsync(ApiScope.Read));

        using var response = await client.GetAsync(new Uri($"/api/projects/{UnknownId}/env?reveal=false", UriKind.Relative));

        await response.AssertProblemAsync(404);
    }

    [Fact]
    public async Task DeployToken_DeploysAndStops_ButCannotDeleteChangeOrReveal()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("deployed by a deploy token"));
        using var admin = app.CreateApiClient();
        var subdomain = $"scope-{Guid.NewGuid():N}"[..14];
        using var created = await admin.PostJsonAsync("/api/projects", new { name = subdomain, subdomain, repoUrl = repo.Path });
        var projectId = (await created.ReadJsonAsync()).GetProperty("id").GetInt64();
        using (var set = await admin.PostJsonAsync($"/api/projects/{projectId}/env", new { key = "SECRET_KEY", value = "s3cr3t-value" }))
        {
            Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        }

        using var deployer = app.CreateApiClient(await CreateTokenAsync(ApiScope.Deploy));

        using var deploy = await deployer.PostAsync(new Uri($"/api/projects/{projectId}/deploy", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, deploy.StatusCode);
        var deploymentId = (await deploy.ReadJsonAsync()).GetProperty("id").GetInt64();
        var outcome = await app.WaitForOutcomeAsync(projectId, deploymentId);
        Assert.Equal(DeploymentStatus.Running, outcome.Status);
        using var logs = await deployer.GetAsync(new Uri($"/api/deployments/{deploymentId}/build-logs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, logs.StatusCode);
        using var stop = await deployer.PostAsync(new Uri($"/api/deployments/{deploymentId}/stop", UriKind.Relative), null);
        Assert.True(stop.IsSuccessStatusCode, await stop.Content.ReadAsStringAsync());

        using var delete = await deployer.DeleteAsync(new Uri($"/api/projects/{projectId}", UriKind.Relative));
        await delete.AssertProblemAsync(403);
        using var reveal = await deployer.GetAsync(new Uri($"/api/projects/{projectId}/env?reveal=true", UriKind.Relative));
        await reveal.AssertProblemAsync(403);
        Assert.DoesNotContain("s3cr3t-value", await reveal.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var change = await deployer.PostJsonAsync($"/api/projects/{projectId}/env", new { key = "OTHER", value = "x" });
        await change.AssertProblemAsync(403);
        using var masked = await deployer.GetAsync(new Uri($"/api/projects/{projectId}/env", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, masked.StatusCode);
        Assert.DoesNotContain("s3cr3t-value", await masked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The project is still there: the admin token deletes it.
        using var adminDelete = await admin.DeleteAsync(new Uri($"/api/projects/{projectId}", UriKind.Relative));
        Assert.True(adminDelete.IsSuccessStatusCode, await adminDelete.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExpiredToken_401SayingExpired_LastUseNotRecorded()
    {
        var tokens = app.Get<ApiTokenService>();
        var created = await tokens.CreateAsync("expiring " + Guid.NewGuid().ToString("N")[..6], ApiScope.Admin, DateTimeOffset.UtcNow.AddDays(1));
        // Expiry is checked against the app's clock; moving the stored expiry into the past stands in for a day passing.
        await using (var db = await app.Get<IDbContextFactory<MiniPaasDbContext>>().CreateDbContextAsync())
        {
            var past = DateTimeOffset.UtcNow.AddMinutes(-1);
            await db.ApiTokens.Where(t => t.Id == created.View.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, past));
        }

        using var client = app.CreateApiClient(created.Token);
        using var response = await client.GetAsync(new Uri("/api/projects", UriKind.Relative));

        var problem = await response.AssertProblemAsync(401);
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null((await tokens.ListAsync()).Single(t => t.Id == created.View.Id).LastUsedAt);
    }

    [Fact]
    public async Task TokenNotYetExpired_Works()
    {
        using var client = app.CreateApiClient(await CreateTokenAsync(ApiScope.Read, DateTimeOffset.UtcNow.AddDays(1)));

        using var response = await client.GetAsync(new Uri("/api/projects", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CreateAsync_ExpiryInThePast_Refused()
    {
        var tokens = app.Get<ApiTokenService>();

        await Assert.ThrowsAsync<ArgumentException>(() => tokens.CreateAsync("too late", ApiScope.Read, DateTimeOffset.UtcNow.AddMinutes(-5)));
    }

    [Fact]
    public async Task ConfiguredToken_IsAdmin()
    {
        using var client = app.CreateApiClient();

        using var response = await client.DeleteAsync(new Uri($"/api/projects/{UnknownId}", UriKind.Relative));

        await response.AssertProblemAsync(404);
    }

    [Fact]
    public async Task RowWrittenWithoutScope_ReadsAsAdmin()
    {
        // What the ApiTokenScopes migration does to tokens made before scopes existed: the column's default applies.
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var db = await app.Get<IDbContextFactory<MiniPaasDbContext>>().CreateDbContextAsync();
        await db.Database.ExecuteSqlAsync($"INSERT INTO api_tokens (name, token_hash, prefix, created_at) VALUES ('legacy', {hash}, 'mpk_legacy', now())");

        var row = await db.ApiTokens.AsNoTracking().SingleAsync(t => t.TokenHash == hash);

        Assert.Equal(ApiScope.Admin, row.Scope);
        Assert.Null(row.ExpiresAt);
    }

    private async Task<string> CreateTokenAsync(ApiScope scope, DateTimeOffset? expiresAt = null) =>
        (await app.Get<ApiTokenService>().CreateAsync($"{scope} {Guid.NewGuid():N}"[..20], scope, expiresAt)).Token;
}
