using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Api;

/// <summary>The whole app (real PostgreSQL, real Docker engine) with one API token configured in <c>MiniPaas:Api:Tokens</c>.</summary>
public sealed class ApiAppFixture : DeployAppFixture
{
    /// <summary>The configured token (headless set-up).</summary>
    public string Token { get; } = "cfg_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings["MiniPaas:Api:Tokens:0"] = Token;
    }

    /// <summary>A client of the dashboard's socket sending <paramref name="token"/> (the configured one by default).</summary>
    public HttpClient CreateApiClient(string? token = null)
    {
        var client = CreateClient();
        client.Timeout = TimeSpan.FromMinutes(3);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        return client;
    }
}

/// <summary>Reading the API's JSON in tests.</summary>
internal static class ApiJson
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"Not JSON ({(int)response.StatusCode} {response.Content.Headers.ContentType}): {text}");
        }
    }

    /// <summary>GETs <paramref name="path"/>, asserts success and returns the JSON body.</summary>
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadJsonAsync();
    }

    /// <summary>The <c>seq</c> of each log line, in order.</summary>
    public static long[] Seqs(IEnumerable<JsonElement> lines) => [.. lines.Select(l => l.GetProperty("seq").GetInt64())];

    /// <summary>Asserts a problem body (RFC 9457) with <paramref name="status"/> and returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        return json;
    }

    /// <summary>The field errors of a 400 validation problem.</summary>
    public static async Task<Dictionary<string, string[]>> AssertFieldErrorsAsync(this HttpResponseMessage response)
    {
        var problem = await response.AssertProblemAsync(400);
        Assert.True(problem.TryGetProperty("errors", out var errors), problem.ToString());
        return errors.Deserialize<Dictionary<string, string[]>>()!;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) =>
        client.PostAsJsonAsync(path, body);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body) =>
        client.PutAsJsonAsync(path, body);
}
