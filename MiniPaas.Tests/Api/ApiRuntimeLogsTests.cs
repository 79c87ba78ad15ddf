using System.Text.Json;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Api;

/// <summary>A deployed app's runtime log through the API on the real Docker engine: pages with filters, and the live event stream until the deployment stops.</summary>
[Trait("Needs", "Docker")]
public sealed class ApiRuntimeLogsTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    // Three lines with levels written in the container's first instant (the stderr one once went missing: the streams' timestamps
    // can be out of order), then a tick every half second, while httpd serves.
    private static Dictionary<string, string> ChattySite() => new()
    {
        ["Dockerfile"] = $$"""
            FROM {{DockerEngineFixture.BusyboxImage}}
            COPY index.html /www/index.html
            CMD ["sh", "-c", "echo 'INFO starting up'; echo 'WARN disk almost full'; echo 'ERROR boom' >&2; (i=0; while true; do i=$((i+1)); echo \"tick $i\"; usleep 500000; done) & exec httpd -f -p $PORT -h /www"]
            """,
        ["index.html"] = "chatty",
    };

    [Fact]
    public async Task RuntimeLogPage_AfterLimitLevelAndText()
    {
        using var client = app.CreateApiClient();
        var deploymentId = await DeployChattyAsync(client);
        var logs = $"/api/deployments/{deploymentId}/runtime-logs";
        var all = await WaitForLinesAsync(client, logs, lines => lines.Any(l => Text(l) == "tick 3"));

        Assert.All(all, l => Assert.Equal(
            new[] { "level", "line", "seq", "stream", "timestamp" },
            l.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray()));
        Assert.Equal(ApiJson.Seqs(all).Order(), ApiJson.Seqs(all));
        var boom = all.Single(l => Text(l) == "ERROR boom");
        Assert.Equal(("stderr", "error"), (boom.GetProperty("stream").GetString(), boom.GetProperty("level").GetString()));
        Assert.Equal("warn", all.Single(l => Text(l) == "WARN disk almost full").GetProperty("level").GetString());
        Assert.Equal("info", all.Single(l => Text(l) == "tick 1").GetProperty("level").GetString());

        var firstPage = await client.GetJsonAsync($"{logs}?limit=2");
        Assert.True(firstPage.GetProperty("hasMore").GetBoolean());
        Assert.Equal(ApiJson.Seqs(all.Take(2)), ApiJson.Seqs(firstPage.GetProperty("items").EnumerateArray()));
        var secondPage = await client.GetJsonAsync($"{logs}?after={firstPage.GetProperty("nextAfter").GetInt64()}&limit=2");
        Assert.Equal(ApiJson.Seqs(all.Skip(2).Take(2)), ApiJson.Seqs(secondPage.GetProperty("items").EnumerateArray()));

        var warnings = (await client.GetJsonAsync($"{logs}?level=warn&limit=5000")).GetProperty("items").EnumerateArray().Select(Text).ToArray();
        Assert.Equal(["ERROR boom", "WARN disk almost full"], warnings.Order(StringComparer.Ordinal).ToArray());
        var disk = (await client.GetJsonAsync($"{logs}?q=DISK&limit=5000")).GetProperty("items").EnumerateArray().Select(Text).ToArray();
        Assert.Equal(["WARN disk almost full"], disk);

        using var bad = await client.GetAsync(new Uri($"{logs}?level=loud&limit=0&after=-1", UriKind.Relative));
        var fieldErrors = await bad.AssertFieldErrorsAsync();
        Assert.Equal(["after", "level", "limit"], fieldErrors.Keys.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task FollowRuntimeLog_HistoryThenLiveLines_EndsWhenTheDeploymentStops()
    {
        using var client = app.CreateApiClient();
        var deploymentId = await DeployChattyAsync(client);
        var logs = $"/api/deployments/{deploymentId}/runtime-logs";
        var history = await WaitForLinesAsync(client, logs, lines => lines.Any(l => Text(l) == "tick 1"));
        var lastStored = ApiJson.Seqs(history).Max();

        var stopped = false;
        var (lines, end) = await ApiDeploymentsTests.FollowBuildLogAsync(client, deploymentId, log: "runtime-logs", onLine: async line =>
        {
            // Stop once a line written after the history page arrived live; the stream must then close with the deployment.
            if (!stopped && line.GetProperty("seq").GetInt64() > lastStored + 2)
            {
                stopped = true;
                using var stop = await client.PostAsync(new Uri($"/api/deployments/{deploymentId}/stop", UriKind.Relative), null);
                Assert.Equal(202, (int)stop.StatusCode);
            }
        });

        Assert.True(stopped, "live lines arrived after the history");
        Assert.Equal("stopped", end.GetProperty("status").GetString());
        Assert.Equal(ApiJson.Seqs(history), ApiJson.Seqs(lines.Take(history.Count)));
        Assert.Equal(ApiJson.Seqs(lines).Distinct().Order(), ApiJson.Seqs(lines));
        Assert.Contains(lines, l => Text(l) == "ERROR boom");

        // Resuming from an id skips what was seen, and a stopped deployment's stream ends at once.
        var (resumed, resumedEnd) = await ApiDeploymentsTests.FollowBuildLogAsync(client, deploymentId, lastEventId: lastStored, log: "runtime-logs");
        Assert.Equal("stopped", resumedEnd.GetProperty("status").GetString());
        Assert.All(resumed, l => Assert.True(l.GetProperty("seq").GetInt64() > lastStored));
        Assert.Equal(ApiJson.Seqs(lines.Where(l => l.GetProperty("seq").GetInt64() > lastStored)), ApiJson.Seqs(resumed.Take(lines.Count(l => l.GetProperty("seq").GetInt64() > lastStored))));
    }

    private static async Task<long> DeployChattyAsync(HttpClient client)
    {
        using var repo = await SampleRepo.CreateAsync(ChattySite());
        var subdomain = $"api-rt-{Guid.NewGuid():N}"[..15];
        using var created = await client.PostJsonAsync("/api/projects", new { name = subdomain, subdomain, repoUrl = repo.Path });
        var projectId = (await created.ReadJsonAsync()).GetProperty("id").GetInt64();
        using var deploy = await client.PostAsync(new Uri($"/api/projects/{projectId}/deploy", UriKind.Relative), null);
        Assert.Equal(202, (int)deploy.StatusCode);
        var deploymentId = (await deploy.ReadJsonAsync()).GetProperty("id").GetInt64();
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            var status = (await client.GetJsonAsync($"/api/deployments/{deploymentId}")).GetProperty("status").GetString();
            if (status == "running")
            {
                return deploymentId;
            }

            Assert.Contains(status, new[] { "queued", "cloning", "building", "starting" });
            await Task.Delay(250, cts.Token);
        }
    }

    // Lines reach the store a moment after the container writes them: poll.
    private static async Task<List<JsonElement>> WaitForLinesAsync(HttpClient client, string logs, Func<List<JsonElement>, bool> enough)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            var lines = (await client.GetJsonAsync($"{logs}?limit=5000")).GetProperty("items").EnumerateArray().ToList();
            if (enough(lines))
            {
                return lines;
            }

            await Task.Delay(250, cts.Token);
        }
    }

    private static string Text(JsonElement line) => line.GetProperty("line").GetString()!;
}
