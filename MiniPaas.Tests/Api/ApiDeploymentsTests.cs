using System.Net.Http.Headers;
using System.Text.Json;
using MiniPaas.Tests.Deploying;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Api;

/// <summary>Deploying through the API on the real Docker engine: follow the build log as an event stream, roll back, stop, delete.</summary>
[Trait("Needs", "Docker")]
public sealed class ApiDeploymentsTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task EndToEnd_CreateDeployFollowBuildLog_UntilRunning_ThenServedThroughTheProxy()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("hello through the api"));
        using var client = app.CreateApiClient();
        var subdomain = $"api-e2e-{Guid.NewGuid():N}"[..16];
        using var created = await client.PostJsonAsync("/api/projects", new { name = subdomain, subdomain, repoUrl = repo.Path });
        var projectId = (await created.ReadJsonAsync()).GetProperty("id").GetInt64();

        using var deploy = await client.PostAsync(new Uri($"/api/projects/{projectId}/deploy", UriKind.Relative), null);
        Assert.Equal(202, (int)deploy.StatusCode);
        var deployment = await deploy.ReadJsonAsync();
        var deploymentId = deployment.GetProperty("id").GetInt64();
        Assert.Equal($"/api/deployments/{deploymentId}", deploy.Headers.Location?.ToString());
        Assert.Contains(deployment.GetProperty("status").GetString(), new[] { "queued", "cloning", "building" });

        var (lines, end) = await FollowBuildLogAsync(client, deploymentId);

        Assert.NotEmpty(lines);
        Assert.True(lines.Select(l => l.GetProperty("seq").GetInt64()).Order().SequenceEqual(lines.Select(l => l.GetProperty("seq").GetInt64()).Distinct()),
            "build log lines arrive once each, ordered by seq");
        Assert.All(lines, l => Assert.Equal(
            new[] { "level", "line", "seq", "stream", "timestamp" },
            l.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray()));
        Assert.Equal("running", end.GetProperty("status").GetString());
        Assert.Equal((await repo.GitAsync("rev-parse", "HEAD")).Trim(), end.GetProperty("commitSha").GetString());
        Assert.Equal(app.Ingress.BaseUrlFor(subdomain).ToString(), end.GetProperty("url").GetString());

        // The stream and the stored history agree line for line.
        var page = await (await client.GetAsync(new Uri($"/api/deployments/{deploymentId}/build-logs?limit=5000", UriKind.Relative))).ReadJsonAsync();
        Assert.Equal(
            page.GetProperty("items").EnumerateArray().Select(l => l.GetProperty("seq").GetInt64()),
            lines.Select(l => l.GetProperty("seq").GetInt64()));

        var (status, body) = await app.GetAppAsync(subdomain);
        Assert.Equal(200, status);
        Assert.Contains("hello through the api", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lifecycle_DeployTwice_ListRollbackStopDelete()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("version one"));
        using var client = app.CreateApiClient();
        var subdomain = $"api-life-{Guid.NewGuid():N}"[..17];
        using var created = await client.PostJsonAsync("/api/projects", new { name = subdomain, subdomain, repoUrl = repo.Path });
        var projectId = (await created.ReadJsonAsync()).GetProperty("id").GetInt64();

        var first = await DeployAndWaitAsync(client, projectId);
        Assert.Equal("running", first.GetProperty("status").GetString());
        await repo.CommitAsync(new Dictionary<string, string> { ["index.html"] = "version two" }, "v2");
        var second = await DeployAndWaitAsync(client, projectId);
        Assert.Equal("running", second.GetProperty("status").GetString());
        Assert.Contains("version two", (await app.GetAppAsync(subdomain)).Body, StringComparison.Ordinal);

        // The old container drains for a moment after the switch before it is marked superseded.
        Assert.Equal("superseded", (await WaitForOutcomeAsync(client, Id(first), "running")).GetProperty("status").GetString());
        var list = await (await client.GetAsync(new Uri($"/api/projects/{projectId}/deployments", UriKind.Relative))).ReadJsonAsync();
        Assert.Equal([Id(second), Id(first)], list.EnumerateArray().Select(Id).ToArray());
        Assert.Equal("superseded", list[1].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, list[1].GetProperty("url").ValueKind);

        using var rollback = await client.PostAsync(new Uri($"/api/deployments/{Id(first)}/rollback", UriKind.Relative), null);
        Assert.Equal(202, (int)rollback.StatusCode);
        var rolledBack = await WaitForOutcomeAsync(client, Id(await rollback.ReadJsonAsync()));
        Assert.Equal("running", rolledBack.GetProperty("status").GetString());
        Assert.Equal(Id(first), rolledBack.GetProperty("rollbackOf").GetInt64());
        Assert.Contains("version one", (await app.GetAppAsync(subdomain)).Body, StringComparison.Ordinal);

        using var deleteLive = await client.DeleteAsync(new Uri($"/api/deployments/{Id(rolledBack)}", UriKind.Relative));
        await deleteLive.AssertProblemAsync(409);

        using var stop = await client.PostAsync(new Uri($"/api/deployments/{Id(rolledBack)}/stop", UriKind.Relative), null);
        Assert.Equal(202, (int)stop.StatusCode);
        Assert.Equal("stopped", (await stop.ReadJsonAsync()).GetProperty("status").GetString());
        Assert.Equal(503, (await app.GetAppAsync(subdomain)).Status);
        using var stopAgain = await client.PostAsync(new Uri($"/api/deployments/{Id(rolledBack)}/stop", UriKind.Relative), null);
        await stopAgain.AssertProblemAsync(409);

        Assert.Equal("superseded", (await WaitForOutcomeAsync(client, Id(second), "running")).GetProperty("status").GetString());
        using var delete = await client.DeleteAsync(new Uri($"/api/deployments/{Id(second)}", UriKind.Relative));
        Assert.True(204 == (int)delete.StatusCode, await delete.Content.ReadAsStringAsync());
        using var gone = await client.GetAsync(new Uri($"/api/deployments/{Id(second)}", UriKind.Relative));
        await gone.AssertProblemAsync(404);
    }

    [Fact]
    public async Task Stop_DeploymentStillBuilding_CancelledAndFailed()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("slow", "RUN [\"sleep\", \"60\"]"));
        using var client = app.CreateApiClient();
        var subdomain = $"api-stop-{Guid.NewGuid():N}"[..17];
        using var created = await client.PostJsonAsync("/api/projects", new { name = subdomain, subdomain, repoUrl = repo.Path });
        using var deploy = await client.PostAsync(new Uri($"/api/projects/{(await created.ReadJsonAsync()).GetProperty("id").GetInt64()}/deploy", UriKind.Relative), null);
        var deploymentId = Id(await deploy.ReadJsonAsync());

        using var stop = await client.PostAsync(new Uri($"/api/deployments/{deploymentId}/stop", UriKind.Relative), null);

        Assert.Equal(202, (int)stop.StatusCode);
        var outcome = await WaitForOutcomeAsync(client, deploymentId);
        Assert.Equal("failed", outcome.GetProperty("status").GetString());
        Assert.Equal("cancelled", outcome.GetProperty("failureReason").GetString());
    }

    [Fact]
    public async Task BuildLogPage_AfterLimitLevelAndText()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("paged"));
        using var client = app.CreateApiClient();
        var subdomain = $"api-page-{Guid.NewGuid():N}"[..17];
        using var created = await client.PostJsonAsync("/api/projects", new { name = subdomain, subdomain, repoUrl = repo.Path });
        var deployment = await DeployAndWaitAsync(client, (await created.ReadJsonAsync()).GetProperty("id").GetInt64());
        var logs = $"/api/deployments/{Id(deployment)}/build-logs";

        var all = (await client.GetJsonAsync($"{logs}?limit=5000")).GetProperty("items").EnumerateArray().ToList();
        Assert.True(all.Count >= 3, $"expected a few build log lines, got {all.Count}");
        var firstPage = await client.GetJsonAsync($"{logs}?limit=2");
        Assert.True(firstPage.GetProperty("hasMore").GetBoolean());
        Assert.Equal(ApiJson.Seqs(all.Take(2)), ApiJson.Seqs(firstPage.GetProperty("items").EnumerateArray()));
        var nextAfter = firstPage.GetProperty("nextAfter").GetInt64();
        var secondPage = await client.GetJsonAsync($"{logs}?after={nextAfter}&limit=2");
        Assert.Equal(ApiJson.Seqs(all.Skip(2).Take(2)), ApiJson.Seqs(secondPage.GetProperty("items").EnumerateArray()));

        var errors = (await client.GetJsonAsync($"{logs}?level=error&limit=5000")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(all.Count(l => l.GetProperty("level").GetString() == "error"), errors.Count);
        var word = all[0].GetProperty("line").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var matching = (await client.GetJsonAsync($"{logs}?q={Uri.EscapeDataString(word.ToUpperInvariant())}&limit=5000")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(all.Count(l => l.GetProperty("line").GetString()!.Contains(word, StringComparison.OrdinalIgnoreCase)), matching.Count);
        Assert.NotEmpty(matching);

        using var bad = await client.GetAsync(new Uri($"{logs}?level=loud&limit=0&after=-1", UriKind.Relative));
        var fieldErrors = await bad.AssertFieldErrorsAsync();
        Assert.Equal(["after", "level", "limit"], fieldErrors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task FollowFinishedDeployment_SendsHistoryThenEnd_AndResumesFromLastEventId()
    {
        using var repo = await SampleRepo.CreateAsync(DeployEngineTests.BusyboxSite("resume"));
        using var client = app.CreateApiClient();
        var subdomain = $"api-resume-{Guid.NewGuid():N}"[..19];
        using var created = await client.PostJsonAsync("/api/projects", new { name = subdomain, subdomain, repoUrl = repo.Path });
        var deployment = await DeployAndWaitAsync(client, (await created.ReadJsonAsync()).GetProperty("id").GetInt64());

        var (all, end) = await FollowBuildLogAsync(client, Id(deployment));
        Assert.Equal("running", end.GetProperty("status").GetString());
        var resumeFrom = all[1].GetProperty("seq").GetInt64();
        var (resumed, _) = await FollowBuildLogAsync(client, Id(deployment), lastEventId: resumeFrom);

        Assert.Equal(ApiJson.Seqs(all.Skip(2)), ApiJson.Seqs(resumed));
    }

    /// <summary>Follows a log stream (<c>build-logs</c> or <c>runtime-logs</c>) until its end event; <paramref name="onLine"/> sees each line as it arrives.</summary>
    internal static async Task<(List<JsonElement> Lines, JsonElement End)> FollowBuildLogAsync(
        HttpClient client, long deploymentId, long? lastEventId = null, string log = "build-logs", Func<JsonElement, Task>? onLine = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/deployments/{deploymentId}/{log}?follow=true", UriKind.Relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var cts = new CancellationTokenSource(Patience);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var lines = new List<JsonElement>();
        string? eventName = null;
        string? eventId = null;
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                eventId = line["id: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
                if (eventName == "end")
                {
                    return (lines, data);
                }

                Assert.Equal("log", eventName);
                Assert.Equal(eventId, data.GetProperty("seq").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
                lines.Add(data);
                if (onLine is not null)
                {
                    await onLine(data);
                }
            }
        }

        throw new InvalidOperationException($"The stream ended without an end event after {lines.Count} lines.");
    }

    private static async Task<JsonElement> DeployAndWaitAsync(HttpClient client, long projectId)
    {
        using var deploy = await client.PostAsync(new Uri($"/api/projects/{projectId}/deploy", UriKind.Relative), null);
        Assert.Equal(202, (int)deploy.StatusCode);
        var outcome = await WaitForOutcomeAsync(client, Id(await deploy.ReadJsonAsync()));
        Assert.True(outcome.GetProperty("status").GetString() == "running", outcome.ToString());
        return outcome;
    }

    private static async Task<JsonElement> WaitForOutcomeAsync(HttpClient client, long deploymentId, params string[] passing)
    {
        string[] waiting = ["queued", "cloning", "building", "starting", .. passing];
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            var deployment = await client.GetJsonAsync($"/api/deployments/{deploymentId}");
            if (!waiting.Contains(deployment.GetProperty("status").GetString()))
            {
                return deployment;
            }

            await Task.Delay(250, cts.Token);
        }
    }

    private static long Id(JsonElement element) => element.GetProperty("id").GetInt64();
}
