using System.Globalization;
using System.Text.Json;
using MiniPaas.Core.Analytics;
using MiniPaas.Core.Analytics.Stats;
using MiniPaas.Core.Ingress;

namespace MiniPaas.Tests.Api;

/// <summary>
/// The analytics endpoints over the real capture → ingestor → PostgreSQL path: known requests are handed to the app's
/// <see cref="RequestCapture"/> (as the ingress does) and the JSON numbers must be exactly theirs.
/// </summary>
[Trait("Needs", "Docker")]
public sealed class ApiAnalyticsTests(ApiAppFixture app) : IClassFixture<ApiAppFixture>
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";
    private const string Safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15";

    // Midnight UTC of today: visitor ids link requests only within the current UTC day (its salt lives in memory for that day
    // only), so every known request is today. Shortly after midnight some lie a little in the future, which changes nothing.
    private static readonly DateTimeOffset Hour = new(DateTime.UtcNow.Date, TimeSpan.Zero);

    [Fact]
    public async Task KnownRequests_AnalyticsVisitorsRequests_ReportTheirExactNumbers()
    {
        using var client = app.CreateApiClient();
        var projectId = await CreateProjectAsync(client);
        Capture(projectId, Hour.AddMinutes(1), "/", 200, 10, Firefox, "10.0.0.1", "https://News.Example/story", count: 3);
        Capture(projectId, Hour.AddMinutes(2), "/about", 404, 20, Safari, "10.0.0.2", null, count: 2);
        Capture(projectId, Hour.AddMinutes(65), "/", 500, 30, Firefox, "10.0.0.1", "https://search.example/?q=x", count: 1);
        var range = $"from={Iso(Hour)}&to={Iso(Hour.AddHours(2))}";
        await WaitForTotalAsync(client, projectId, range, 6);

        var analytics = await GetOkAsync(client, $"/api/projects/{projectId}/analytics?{range}&bucket=PT1H");
        Assert.Equal("PT1H", analytics.GetProperty("bucket").GetString());
        var series = analytics.GetProperty("series").EnumerateArray().ToArray();
        Assert.Equal([Hour, Hour.AddHours(1)], series.Select(p => p.GetProperty("start").GetDateTimeOffset()).ToArray());
        Assert.Equal([5L, 1L], series.Select(p => p.GetProperty("requests").GetInt64()).ToArray());
        Assert.Equal((3L, 0L, 2L, 0L), Classes(series[0]));
        Assert.Equal((0L, 0L, 0L, 1L), Classes(series[1]));
        Assert.Equal(Bound(10), series[0].GetProperty("p50").GetDouble());
        Assert.Equal(Bound(20), series[0].GetProperty("p95").GetDouble());
        Assert.Equal(Bound(30), series[1].GetProperty("p99").GetDouble());
        var totals = analytics.GetProperty("totals");
        Assert.Equal(6, totals.GetProperty("requests").GetInt64());
        Assert.Equal((3L, 0L, 2L, 1L), Classes(totals));
        Assert.Equal(2, totals.GetProperty("uniqueVisitors").GetInt64());
        Assert.Equal(6, totals.GetProperty("browsers").GetInt64());
        Assert.Equal(Bound(10), totals.GetProperty("p50").GetDouble());
        Assert.Equal(Bound(30), totals.GetProperty("p95").GetDouble());

        // A finer bucket splits the same requests without losing any; empty buckets are listed with zeros.
        var fine = await GetOkAsync(client, $"/api/projects/{projectId}/analytics?{range}&bucket=30m");
        Assert.Equal("PT30M", fine.GetProperty("bucket").GetString());
        Assert.Equal([5L, 0L, 1L, 0L], fine.GetProperty("series").EnumerateArray().Select(p => p.GetProperty("requests").GetInt64()).ToArray());
        Assert.Equal(JsonValueKind.Null, fine.GetProperty("series")[1].GetProperty("p50").ValueKind);

        var visitors = await GetOkAsync(client, $"/api/projects/{projectId}/visitors?{range}");
        Assert.Equal(2, visitors.GetProperty("unique").GetInt64());
        var day = Assert.Single(visitors.GetProperty("days").EnumerateArray());
        Assert.Equal(Hour.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day.GetProperty("day").GetString());
        Assert.Equal(2, day.GetProperty("visitors").GetInt64());

        var requests = await GetOkAsync(client, $"/api/projects/{projectId}/requests?{range}");
        Assert.Equal(6, requests.GetProperty("total").GetInt64());
        Assert.Equal([("/", 4L), ("/about", 2L)], Ranked(requests.GetProperty("topPaths")));
        Assert.Equal([("news.example", 3L), ("search.example", 1L)], Ranked(requests.GetProperty("topReferrers")));
        var limited = await GetOkAsync(client, $"/api/projects/{projectId}/requests?{range}&limit=1");
        Assert.Equal([("/", 4L)], Ranked(limited.GetProperty("topPaths")));

        // The second hour alone holds one request of one (already seen) visitor.
        var secondHour = $"from={Iso(Hour.AddHours(1))}&to={Iso(Hour.AddHours(2))}";
        Assert.Equal(1, (await GetOkAsync(client, $"/api/projects/{projectId}/requests?{secondHour}")).GetProperty("total").GetInt64());
        Assert.Equal(1, (await GetOkAsync(client, $"/api/projects/{projectId}/visitors?{secondHour}")).GetProperty("unique").GetInt64());
    }

    [Fact]
    public async Task NoRange_DefaultsToTheLast24Hours()
    {
        using var client = app.CreateApiClient();
        var projectId = await CreateProjectAsync(client);
        var now = DateTimeOffset.UtcNow;
        Capture(projectId, now.AddMinutes(-10), "/recent", 200, 5, Firefox, "10.0.0.9", null, count: 2);
        Capture(projectId, now.AddHours(-30), "/old", 200, 5, Firefox, "10.0.0.9", null, count: 3);
        await WaitForTotalAsync(client, projectId, $"from={Iso(now.AddDays(-2))}&to={Iso(now.AddMinutes(1))}", 5);

        var requests = await GetOkAsync(client, $"/api/projects/{projectId}/requests");

        Assert.Equal(2, requests.GetProperty("total").GetInt64());
        Assert.Equal([("/recent", 2L)], Ranked(requests.GetProperty("topPaths")));
        var to = requests.GetProperty("to").GetDateTimeOffset();
        Assert.InRange(to, now.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(to.AddHours(-24), requests.GetProperty("from").GetDateTimeOffset());
        var analytics = await GetOkAsync(client, $"/api/projects/{projectId}/analytics");
        Assert.Equal(2, analytics.GetProperty("totals").GetProperty("requests").GetInt64());
        Assert.Equal("PT15M", analytics.GetProperty("bucket").GetString());
    }

    [Fact]
    public async Task Resources_StoredSamples_AveragedPerContainerAndSummedPerBucket()
    {
        using var client = app.CreateApiClient();
        var projectId = await CreateProjectAsync(client);
        var otherProjectId = await CreateProjectAsync(client);
        var minute = Hour.AddMinutes(7);
        await app.Get<ContainerStatsStore>().AddAsync(
        [
            Reading(projectId, "c1", minute.AddSeconds(5), cpu: 10, memory: 100),
            Reading(projectId, "c1", minute.AddSeconds(35), cpu: 30, memory: 300),
            Reading(projectId, "c2", minute.AddSeconds(20), cpu: 5, memory: 50),
            Reading(projectId, "c1", minute.AddMinutes(2), cpu: 40, memory: 1_000),
            Reading(otherProjectId, "other", minute.AddSeconds(5), cpu: 99, memory: 99),
        ]);

        var resources = await GetOkAsync(client, $"/api/projects/{projectId}/resources?from={Iso(minute)}&to={Iso(minute.AddMinutes(5))}&bucket=1m");

        Assert.Equal("PT1M", resources.GetProperty("bucket").GetString());
        var points = resources.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal([minute, minute.AddMinutes(2)], points.Select(p => p.GetProperty("time").GetDateTimeOffset()).ToArray());
        Assert.Equal([25.0, 40.0], points.Select(p => p.GetProperty("cpuPercent").GetDouble()).ToArray());
        Assert.Equal([250.0, 1_000.0], points.Select(p => p.GetProperty("memoryUsedBytes").GetDouble()).ToArray());
        Assert.Equal(4_096, points[0].GetProperty("memoryLimitBytes").GetInt64());

        // Seconds are fine for stats (samples every few seconds), and a 30 s bucket separates c1's two samples.
        var fine = await GetOkAsync(client, $"/api/projects/{projectId}/resources?from={Iso(minute)}&to={Iso(minute.AddMinutes(1))}&bucket=PT30S");
        Assert.Equal([15.0, 30.0], fine.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("cpuPercent").GetDouble()).ToArray());
    }

    [Theory]
    [InlineData("analytics", "bucket=abc", "bucket")]
    [InlineData("analytics", "bucket=30s", "bucket")]
    [InlineData("analytics", "bucket=PT0S", "bucket")]
    [InlineData("analytics", "from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z&bucket=1m", "bucket")]
    [InlineData("visitors", "from=yesterday", "from")]
    [InlineData("visitors", "to=2026-11-25T10:00:00", "to")]
    [InlineData("requests", "from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z", "from")]
    [InlineData("requests", "from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("requests", "limit=0", "limit")]
    [InlineData("resources", "bucket=1.5s", "bucket")]
    [InlineData("resources", "bucket=PT0.5S", "bucket")]
    public async Task BadParameters_400WithTheFieldNamed(string endpoint, string query, string field)
    {
        using var client = app.CreateApiClient();
        var projectId = await CreateProjectAsync(client);

        using var response = await client.GetAsync(new Uri($"/api/projects/{projectId}/{endpoint}?{query}", UriKind.Relative));

        var errors = await response.AssertFieldErrorsAsync();
        Assert.Equal([field], errors.Keys.ToArray());
        Assert.False(string.IsNullOrWhiteSpace(errors[field].Single()));
    }

    private void Capture(long projectId, DateTimeOffset at, string path, int status, double durationMs, string userAgent, string ip, string? referrer, int count)
    {
        var capture = app.Get<RequestCapture>();
        for (var i = 0; i < count; i++)
        {
            capture.OnRequestCompleted(new ProxiedRequest(
                projectId, null, "api-analytics", "GET", path, status, durationMs, 100, userAgent, ip, at.AddSeconds(i), Referrer: referrer));
        }
    }

    private static StatsReading Reading(long projectId, string container, DateTimeOffset at, double cpu, long memory) =>
        new(projectId, null, container, at, new ResourceUsage(cpu, memory, 4_096, null, null, 0, 0));

    private static async Task<long> CreateProjectAsync(HttpClient client)
    {
        var subdomain = $"api-ana-{Guid.NewGuid():N}"[..16];
        using var created = await client.PostJsonAsync("/api/projects", new { name = subdomain, subdomain, repoUrl = "https://example.com/analytics.git" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return (await created.ReadJsonAsync()).GetProperty("id").GetInt64();
    }

    // The ingestor flushes in the background: poll until every captured request is stored.
    private static async Task WaitForTotalAsync(HttpClient client, long projectId, string range, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        long total;
        do
        {
            total = (await GetOkAsync(client, $"/api/projects/{projectId}/requests?{range}")).GetProperty("total").GetInt64();
            if (total >= expected)
            {
                break;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(expected, total);
    }

    private static async Task<JsonElement> GetOkAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var json = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {json}");
        return json;
    }

    private static (long, long, long, long) Classes(JsonElement e) => (
        e.GetProperty("status2xx").GetInt64(), e.GetProperty("status3xx").GetInt64(),
        e.GetProperty("status4xx").GetInt64(), e.GetProperty("status5xx").GetInt64());

    private static (string, long)[] Ranked(JsonElement list) =>
        [.. list.EnumerateArray().Select(e => (e.GetProperty("name").GetString()!, e.GetProperty("requests").GetInt64()))];

    private static double Bound(double durationMs) => LatencyHistogram.BoundForDisplay(LatencyHistogram.BucketOf(durationMs));

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture));
}
