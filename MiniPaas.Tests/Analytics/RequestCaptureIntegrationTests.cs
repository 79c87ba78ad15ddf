using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Analytics;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using Npgsql;

namespace MiniPaas.Tests.Analytics;

/// <summary>
/// The ingress wired like MiniPaas.Web plus the real analytics registration (capture, ingestor) on a fresh database:
/// requests through the proxy must land as rows with the right fields.
/// </summary>
public sealed class RequestCaptureIntegrationTests : IAsyncLifetime
{
    private IngressTestHost _host = null!;
    private string _connectionString = null!;
    private int _upstreamPort;

    public async Task InitializeAsync()
    {
        var fixture = await PostgresFixture.GetAsync();
        _connectionString = ((FixedDbContextFactory)await fixture.CreateMigratedContextFactoryAsync(nameof(RequestCaptureIntegrationTests))).ConnectionString;
        _host = await IngressTestHost.StartAsync(
            ["--MiniPaas:Analytics:FlushInterval=00:00:00.100"],
            configure: builder =>
            {
                builder.Services.AddSingleton(AnalyticsDatabase.Fixed(_connectionString));
                builder.Services.AddSingleton<LogSequences>();
                builder.AddMiniPaasAnalytics();
            });
        _upstreamPort = await _host.StartUpstreamAsync("A");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Proxy_Requests_LandAsRowsWithTheRightFieldsAndNoRawIp()
    {
        Assert.IsType<RequestCapture>(_host.App.Services.GetRequiredService<IRequestObserver>());
        var table = _host.Routes;
        var port = _host.IngressPort;
        table.SetUpstream("shop", 7, 42, $"127.0.0.1:{_upstreamPort}");

        using (var get = new HttpRequestMessage(HttpMethod.Get, "/products/1?token=secret"))
        {
            get.Headers.Host = $"shop.localhost:{port}";
            get.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
            get.Headers.Referrer = new Uri("https://News.Example.com/story?id=3");
            using var response = await _host.Client.SendAsync(get);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var post = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = new ByteArrayContent(new byte[1234]) })
        {
            post.Headers.Host = $"shop.localhost:{port}";
            post.Headers.UserAgent.ParseAdd("curl/8.5.0");
            using var response = await _host.Client.SendAsync(post);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var missing = new HttpRequestMessage(HttpMethod.Get, "/missing"))
        {
            missing.Headers.Host = $"shop.localhost:{port}";
            missing.Headers.UserAgent.ParseAdd("Googlebot/2.1 (+http://www.google.com/bot.html)");
            using var response = await _host.Client.SendAsync(missing);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var rows = await PollRowsAsync(expected: 3);

        var get1 = rows.Single(r => r.Method == "GET" && r.Status == 200);
        Assert.Equal((7L, 42L, "/products/1", (string?)null), (get1.ProjectId, get1.DeploymentId!.Value, get1.Path, get1.Query));
        Assert.Equal("news.example.com", get1.ReferrerHost);
        Assert.Equal((short)UserAgentClass.Browser, get1.AgentClass);
        Assert.Equal("A /products/1?token=secret forwarded-host=".Length + $"shop.localhost:{port}".Length, get1.BytesOut);
        Assert.True(get1.DurationMs > 0);
        Assert.InRange(get1.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        var upload = rows.Single(r => r.Method == "POST");
        Assert.Equal(("/upload", 1234L, (short)UserAgentClass.Other), (upload.Path, upload.BytesIn, upload.AgentClass));
        var bot = rows.Single(r => r.Status == 404);
        Assert.Equal((short)UserAgentClass.Bot, bot.AgentClass);

        // Three different user agents from one address: three visitors, none of them the raw address.
        Assert.Equal(3, rows.Select(r => r.VisitorId).Distinct().Count());
        Assert.All(rows, r => Assert.Null(r.ClientIp));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM request_events WHERE row_to_json(request_events)::text LIKE '%127.0.0.1%' OR row_to_json(request_events)::text LIKE '%secret%'"));
        Assert.Equal(3, await CountAsync("SELECT coalesce(sum(requests), 0) FROM request_rollups WHERE project_id = 7"));
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM request_visitors WHERE project_id = 7"));
    }

    private async Task<List<RequestEventRecord>> PollRowsAsync(int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(_connectionString));
            var rows = db.RequestEvents.OrderBy(r => r.Seq).ToList();
            if (rows.Count >= expected || DateTime.UtcNow > deadline)
            {
                Assert.Equal(expected, rows.Count);
                return rows;
            }

            await Task.Delay(100);
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
