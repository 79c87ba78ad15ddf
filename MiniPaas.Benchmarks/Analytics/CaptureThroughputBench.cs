using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Analytics;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Networking;
using MiniPaas.Core.Persistence;
using MiniPaas.Web.Ingress;

namespace MiniPaas.Benchmarks.Analytics;

/// <summary>
/// Proxy throughput with request capture off (the no-op observer) and on (capture + ingestor writing to PostgreSQL), two
/// identical ingress hosts in front of one upstream, measured in alternating rounds.
/// </summary>
public static class CaptureThroughputBench
{
    public static async Task<(List<LoadResult> Off, List<LoadResult> On, long Stored)> RunAsync(
        string connectionString, AnalyticsBenchOptions options, Action<string> log, CancellationToken ct)
    {
        await using var upstream = await StartUpstreamAsync(ct);
        var upstreamAddress = upstream.Urls.Single().Replace("http://", "", StringComparison.Ordinal);
        await using var off = await StartIngressAsync(null, upstreamAddress, ct);
        await using var on = await StartIngressAsync(connectionString, upstreamAddress, ct);
        var offPort = off.Services.GetRequiredService<IngressEndpoint>().Port;
        var onPort = on.Services.GetRequiredService<IngressEndpoint>().Port;

        // Warm-up: connections, JIT, the ingestor's first batch.
        await LoadRun.RunAsync(offPort, $"bench.localhost:{offPort}", 1000, options.Concurrency, ct);
        await LoadRun.RunAsync(onPort, $"bench.localhost:{onPort}", 1000, options.Concurrency, ct);

        var offResults = new List<LoadResult>();
        var onResults = new List<LoadResult>();
        for (var round = 0; round < options.ProxyRounds; round++)
        {
            // Alternate the order so drift on a shared machine falls on both alike.
            if (round % 2 == 0)
            {
                offResults.Add(await LoadRun.RunAsync(offPort, $"bench.localhost:{offPort}", options.ProxyRequests, options.Concurrency, ct));
                onResults.Add(await LoadRun.RunAsync(onPort, $"bench.localhost:{onPort}", options.ProxyRequests, options.Concurrency, ct));
            }
            else
            {
                onResults.Add(await LoadRun.RunAsync(onPort, $"bench.localhost:{onPort}", options.ProxyRequests, options.Concurrency, ct));
                offResults.Add(await LoadRun.RunAsync(offPort, $"bench.localhost:{offPort}", options.ProxyRequests, options.Concurrency, ct));
            }

            log($"  round {round + 1}: capture off {offResults[^1].RequestsPerSecond:F0} req/s, on {onResults[^1].RequestsPerSecond:F0} req/s");
        }

        var ingestor = on.Services.GetRequiredService<RequestIngestor>();
        var capture = on.Services.GetRequiredService<RequestCapture>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (ingestor.Written + capture.Overflowed < capture.Captured + capture.Overflowed && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, ct);
        }

        return (offResults, onResults, ingestor.Written);
    }

    private static async Task<WebApplication> StartUpstreamAsync(CancellationToken ct)
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/", () => "hello from the benchmark upstream");
        await app.StartAsync(ct);
        return app;
    }

    private static async Task<WebApplication> StartIngressAsync(string? analyticsConnectionString, string upstream, CancellationToken ct)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--urls=http://127.0.0.1:{LoopbackPort.Free()}", $"--MiniPaas:Ingress:Port={LoopbackPort.Free()}"],
        });
        builder.Logging.ClearProviders();
        if (analyticsConnectionString is not null)
        {
            builder.Services.AddSingleton(AnalyticsDatabase.Fixed(analyticsConnectionString));
            builder.Services.AddSingleton<LogSequences>();
            builder.AddMiniPaasAnalytics();
        }

        builder.AddMiniPaasIngress();
        var app = builder.Build();
        app.UseMiniPaasIngress();
        await app.StartAsync(ct);
        app.Services.GetRequiredService<RouteTable>().SetUpstream("bench", 1, 1, upstream);
        return app;
    }
}
