using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Api;

/// <summary>Projects, variables, system and the OpenAPI document through the API, with real PostgreSQL.</summary>
[Trait("Needs", "Docker")]
public sealed class ApiProjectsTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    [Fact]
    public async Task ProjectCrud_CreateGetListReplaceDelete()
    {
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string> { ["README"] = "x" });
        using var client = app.CreateApiClient();
        var subdomain = Subdomain("crud");

        using var created = await client.PostJsonAsync("/api/projects", new
        {
            name = subdomain, subdomain, repoUrl = repo.Path, branch = "main", rootDirectory = "./", port = 3000,
            healthCheckPath = "/health", limits = new { cpu = 0.5, memoryMiB = 256 }, autoDeploy = true,
        });
        Assert.Equal(201, (int)created.StatusCode);
        var project = await created.ReadJsonAsync();
        var id = project.GetProperty("id").GetInt64();
        Assert.Equal($"/api/projects/{id}", created.Headers.Location?.ToString());
        Assert.Equal(subdomain, project.GetProperty("subdomain").GetString());
        Assert.Equal(repo.Path, project.GetProperty("repoUrl").GetString());
        Assert.Equal(3000, project.GetProperty("port").GetInt32());
        Assert.Equal(0.5, project.GetProperty("limits").GetProperty("cpu").GetDouble());
        Assert.Equal(256, project.GetProperty("limits").GetProperty("memoryMiB").GetInt64());
        Assert.True(project.GetProperty("autoDeploy").GetBoolean());
        Assert.Equal(JsonValueKind.Null, project.GetProperty("url").ValueKind);

        var fetched = await (await client.GetAsync(new Uri($"/api/projects/{id}", UriKind.Relative))).ReadJsonAsync();
        Assert.Equal("/health", fetched.GetProperty("healthCheckPath").GetString());
        var list = await (await client.GetAsync(new Uri("/api/projects", UriKind.Relative))).ReadJsonAsync();
        var row = list.EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == id);
        Assert.Equal("notdeployed", row.GetProperty("status").GetString());

        using var replaced = await client.PutJsonAsync($"/api/projects/{id}", new { name = subdomain + "-b", subdomain = subdomain + "-b", repoUrl = repo.Path });
        Assert.Equal(200, (int)replaced.StatusCode);
        var after = await replaced.ReadJsonAsync();
        Assert.Equal(subdomain + "-b", after.GetProperty("subdomain").GetString());
        Assert.False(after.GetProperty("autoDeploy").GetBoolean());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("port").ValueKind);

        using var deleted = await client.DeleteAsync(new Uri($"/api/projects/{id}", UriKind.Relative));
        Assert.Equal(204, (int)deleted.StatusCode);
        using var gone = await client.GetAsync(new Uri($"/api/projects/{id}", UriKind.Relative));
        await gone.AssertProblemAsync(404);
    }

    [Fact]
    public async Task CreateProject_BadFields_400WithAMessagePerField()
    {
        using var client = app.CreateApiClient();
        using var response = await client.PostJsonAsync("/api/projects", new
        {
            name = "", subdomain = "Bad_Sub!", repoUrl = "ftp://example.com/repo.git", branch = "feature..x", rootDirectory = "../outside",
            port = 70000, healthCheckPath = "health", limits = new { cpu = 1000.0, memoryMiB = 1 },
        });

        var errors = await response.AssertFieldErrorsAsync();
        Assert.Equal(
            new[] { "branch", "healthCheckPath", "limits.cpu", "limits.memoryMiB", "name", "port", "repoUrl", "rootDirectory", "subdomain" },
            errors.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.All(errors.Values, messages => Assert.False(string.IsNullOrWhiteSpace(Assert.Single(messages))));
    }

    [Fact]
    public async Task CreateProject_TakenSubdomain_400AtSubdomain()
    {
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string> { ["README"] = "x" });
        using var client = app.CreateApiClient();
        var subdomain = Subdomain("dup");
        using var first = await client.PostJsonAsync("/api/projects", new { name = subdomain, subdomain, repoUrl = repo.Path });
        Assert.Equal(201, (int)first.StatusCode);

        using var second = await client.PostJsonAsync("/api/projects", new { name = subdomain + "2", subdomain, repoUrl = repo.Path });

        var errors = await second.AssertFieldErrorsAsync();
        Assert.Contains("already used", Assert.Single(errors["subdomain"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"name\":\"a\",\"port\":\"eighty\"}", "port")]
    [InlineData("{\"name\":\"a\",\"limits\":{\"cpu\":\"lots\"}}", "limits.cpu")]
    [InlineData("{\"name\":", "name")]
    [InlineData("not json", "body")]
    [InlineData("[1,2]", "body")]
    public async Task CreateProject_MalformedJson_400AtTheField(string json, string field)
    {
        using var client = app.CreateApiClient();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/projects", UriKind.Relative), content);

        var errors = await response.AssertFieldErrorsAsync();
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public async Task CreateProject_FormInsteadOfJson_415Problem()
    {
        using var client = app.CreateApiClient();
        using var content = new StringContent("name=a", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(new Uri("/api/projects", UriKind.Relative), content);

        await response.AssertProblemAsync(415);
    }

    [Fact]
    public async Task Variables_SetListRevealReplaceDelete_MaskedByDefault()
    {
        const string secret = "s3cr3t-value-that-must-not-leak";
        using var client = app.CreateApiClient();
        var id = await CreateProjectAsync(client, "env");

        using var created = await client.PostJsonAsync($"/api/projects/{id}/env", new { key = "API_SECRET", value = secret });
        Assert.Equal(201, (int)created.StatusCode);
        var createdBody = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, createdBody, StringComparison.Ordinal);

        var masked = await (await client.GetAsync(new Uri($"/api/projects/{id}/env", UriKind.Relative))).ReadJsonAsync();
        var variable = Assert.Single(masked.EnumerateArray());
        Assert.Equal("API_SECRET", variable.GetProperty("key").GetString());
        Assert.Equal("********", variable.GetProperty("value").GetString());
        Assert.True(variable.GetProperty("masked").GetBoolean());

        var revealed = await (await client.GetAsync(new Uri($"/api/projects/{id}/env?reveal=true", UriKind.Relative))).ReadJsonAsync();
        Assert.Equal(secret, Assert.Single(revealed.EnumerateArray()).GetProperty("value").GetString());

        using var replaced = await client.PutJsonAsync($"/api/projects/{id}/env/API_SECRET", new { value = "other" });
        Assert.Equal(200, (int)replaced.StatusCode);
        Assert.Equal("********", (await replaced.ReadJsonAsync()).GetProperty("variable").GetProperty("value").GetString());
        using var upserted = await client.PostJsonAsync($"/api/projects/{id}/env?reveal=true", new { key = "API_SECRET", value = "third" });
        Assert.Equal(200, (int)upserted.StatusCode);
        Assert.Equal("third", (await upserted.ReadJsonAsync()).GetProperty("variable").GetProperty("value").GetString());

        // No other read of the project shows the value either.
        foreach (var path in new[] { $"/api/projects/{id}", "/api/projects", $"/api/projects/{id}/deployments", $"/api/projects/{id}/env" })
        {
            Assert.DoesNotContain("third", await client.GetStringAsync(new Uri(path, UriKind.Relative)), StringComparison.Ordinal);
        }

        using var deleted = await client.DeleteAsync(new Uri($"/api/projects/{id}/env/API_SECRET", UriKind.Relative));
        Assert.Equal(204, (int)deleted.StatusCode);
        using var again = await client.DeleteAsync(new Uri($"/api/projects/{id}/env/API_SECRET", UriKind.Relative));
        await again.AssertProblemAsync(404);
    }

    [Fact]
    public async Task Variables_SecretFlag_ReadAndSetPlainValuesShownWithoutReveal()
    {
        using var client = app.CreateApiClient();
        var id = await CreateProjectAsync(client, "envflag");

        var lines = await VariableOfAsync(await client.PostJsonAsync($"/api/projects/{id}/env", new { key = "LINES", value = "20000" }));
        var token = await VariableOfAsync(await client.PostJsonAsync($"/api/projects/{id}/env", new { key = "API_TOKEN", value = "tok-abcdef-123" }));
        var mode = await VariableOfAsync(await client.PostJsonAsync($"/api/projects/{id}/env", new { key = "NODE_ENV", value = "production", secret = true }));

        Assert.Equal(("20000", false, false), (lines.GetProperty("value").GetString(), lines.GetProperty("secret").GetBoolean(), lines.GetProperty("masked").GetBoolean()));
        Assert.Equal(("********", true, true), (token.GetProperty("value").GetString(), token.GetProperty("secret").GetBoolean(), token.GetProperty("masked").GetBoolean()));
        Assert.Equal(("********", true), (mode.GetProperty("value").GetString(), mode.GetProperty("secret").GetBoolean()));

        // A PUT with only the flag changes the flag; with a value and the flag, both.
        var linesSecret = await VariableOfAsync(await client.PutJsonAsync($"/api/projects/{id}/env/LINES", new { secret = true }));
        var tokenPlain = await VariableOfAsync(await client.PutJsonAsync($"/api/projects/{id}/env/API_TOKEN", new { value = "tok-new-456789", secret = false }));
        Assert.Equal(("********", true), (linesSecret.GetProperty("value").GetString(), linesSecret.GetProperty("secret").GetBoolean()));
        Assert.Equal(("tok-new-456789", false), (tokenPlain.GetProperty("value").GetString(), tokenPlain.GetProperty("secret").GetBoolean()));

        var listed = (await (await client.GetAsync(new Uri($"/api/projects/{id}/env", UriKind.Relative))).ReadJsonAsync()).EnumerateArray()
            .ToDictionary(v => v.GetProperty("key").GetString()!, v => (v.GetProperty("value").GetString(), v.GetProperty("secret").GetBoolean()));
        Assert.Equal(("tok-new-456789", false), listed["API_TOKEN"]);
        Assert.Equal(("********", true), listed["LINES"]);
        Assert.Equal(("********", true), listed["NODE_ENV"]);
        var values = await (await client.GetAsync(new Uri($"/api/projects/{id}/env", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("20000", values, StringComparison.Ordinal);
        Assert.DoesNotContain("production", values, StringComparison.Ordinal);

        using var missing = await client.PutJsonAsync($"/api/projects/{id}/env/MISSING", new { secret = true });
        await missing.AssertProblemAsync(404);
        using var newline = await client.PostJsonAsync($"/api/projects/{id}/env", new { key = "A\n", value = "x" });
        Assert.Equal(["key"], (await newline.AssertFieldErrorsAsync()).Keys);
    }

    private static async Task<System.Text.Json.JsonElement> VariableOfAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.ReadJsonAsync()).GetProperty("variable");
        }
    }

    [Theory]
    [InlineData("1BAD", "x", "key")]
    [InlineData("PORT", "x", "key")]
    [InlineData("MINIPAAS_PROJECT", "x", "key")]
    [InlineData("", "x", "key")]
    [InlineData("GOOD", null, "value")]
    [InlineData("GOOD", "nul\0inside", "value")]
    public async Task SetVariable_BadKeyOrValue_400AtTheField(string key, string? value, string field)
    {
        using var client = app.CreateApiClient();
        var id = await CreateProjectAsync(client, "badenv");

        using var response = await client.PostJsonAsync($"/api/projects/{id}/env", new { key, value });

        var errors = await response.AssertFieldErrorsAsync();
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public async Task ReplaceVariable_BodyKeyDiffersFromPath_400AtKey()
    {
        using var client = app.CreateApiClient();
        var id = await CreateProjectAsync(client, "keydiff");

        using var response = await client.PutJsonAsync($"/api/projects/{id}/env/ONE", new { key = "TWO", value = "x" });

        Assert.Contains("key", (await response.AssertFieldErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Suggest_ReadsTheRepository_SuggestedValuesMaskedUnlessRevealed()
    {
        using var repo = await SampleRepo.CreateAsync(new Dictionary<string, string>
        {
            [".env.example"] = "SESSION_SECRET=example-session-secret\nAPP_MODE=demo\n",
            ["index.js"] = "console.log(process.env.SESSION_SECRET, process.env.APP_MODE)",
        });
        using var client = app.CreateApiClient();
        var id = await CreateProjectAsync(client, "suggest", repo.Path);

        var masked = await (await client.GetAsync(new Uri($"/api/projects/{id}/env/suggest", UriKind.Relative))).ReadJsonAsync();
        var revealed = await (await client.GetAsync(new Uri($"/api/projects/{id}/env/suggest?reveal=true", UriKind.Relative))).ReadJsonAsync();

        Assert.Equal((await repo.GitAsync("rev-parse", "HEAD")).Trim(), masked.GetProperty("commitSha").GetString());
        var secret = masked.GetProperty("suggestions").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "SESSION_SECRET");
        Assert.Equal("********", secret.GetProperty("suggestedValue").GetString());
        Assert.True(secret.GetProperty("secretLike").GetBoolean());
        Assert.DoesNotContain("example-session-secret", masked.ToString(), StringComparison.Ordinal);
        Assert.Contains(revealed.GetProperty("suggestions").EnumerateArray(),
            s => s.GetProperty("suggestedValue").GetString() == "example-session-secret");
    }

    [Fact]
    public async Task System_ReportsVersionsDatabaseAndEngine()
    {
        using var client = app.CreateApiClient();

        var system = await (await client.GetAsync(new Uri("/api/system", UriKind.Relative))).ReadJsonAsync();

        Assert.False(string.IsNullOrEmpty(system.GetProperty("versions").GetProperty("miniPaas").GetString()));
        Assert.Contains(".NET", system.GetProperty("versions").GetProperty("runtime").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(system.GetProperty("versions").GetProperty("docker").GetString()));
        Assert.Equal("configured", system.GetProperty("database").GetProperty("source").GetString());
        Assert.True(system.GetProperty("database").GetProperty("reachable").GetBoolean());
        Assert.True(system.GetProperty("engine").GetProperty("connected").GetBoolean());
        Assert.Equal(app.IngressPort, system.GetProperty("ingress").GetProperty("port").GetInt32());
        Assert.DoesNotContain("password", system.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApiAndItsBearerScheme()
    {
        using var client = app.CreateClient();

        var document = await (await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative))).ReadJsonAsync();

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/projects", paths);
        Assert.Contains("/api/projects/{id}/deploy", paths);
        Assert.Contains("/api/deployments/{id}/build-logs", paths);
        Assert.Contains("/api/projects/{id}/env/{key}", paths);
        Assert.Contains("/api/system", paths);
        Assert.All(paths, p => Assert.StartsWith("/api/", p, StringComparison.Ordinal));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiToken");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    private static async Task<long> CreateProjectAsync(HttpClient client, string prefix, string? repoPath = null)
    {
        using var repo = repoPath is null ? await SampleRepo.CreateAsync(new Dictionary<string, string> { ["README"] = "x" }) : null;
        var subdomain = Subdomain(prefix);
        using var response = await client.PostAsJsonAsync("/api/projects", new { name = subdomain, subdomain, repoUrl = repoPath ?? repo!.Path });
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("id").GetInt64();
    }

    private static string Subdomain(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
}
