using System.Diagnostics;
using System.Net;

namespace MiniPaas.Benchmarks;

/// <summary>Result of one bounded load run: throughput and latency percentiles over successful requests.</summary>
public sealed record LoadResult(int Requests, int Errors, TimeSpan Elapsed, double RequestsPerSecond, double P50Ms, double P99Ms);

/// <summary>
/// A closed-loop load generator: <c>concurrency</c> workers each send the next GET as soon as the previous one answered,
/// until <c>count</c> requests were sent. Keep-alive connections (one pool per run), loopback only.
/// </summary>
public static class LoadRun
{
    public static async Task<LoadResult> RunAsync(int port, string? host, int count, int concurrency, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = concurrency, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var uri = new Uri($"http://127.0.0.1:{port}/");
        var latencies = new long[count];
        var errors = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(
            async () =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < count)
                {
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                        if (host is not null)
                        {
                            request.Headers.Host = host;
                        }

                        using var response = await client.SendAsync(request, ct);
                        await response.Content.ReadAsByteArrayAsync(ct);
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            Interlocked.Increment(ref errors);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref errors);
                    }

                    latencies[index] = Stopwatch.GetTimestamp() - start;
                }
            },
            ct));
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        Array.Sort(latencies);
        return new LoadResult(
            count,
            errors,
            elapsed,
            count / elapsed.TotalSeconds,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99));
    }

    private static double Percentile(long[] sortedTicks, double q)
    {
        var index = (int)Math.Ceiling(q * sortedTicks.Length) - 1;
        return sortedTicks[Math.Clamp(index, 0, sortedTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}
