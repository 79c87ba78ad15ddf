using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>One request of a <see cref="ConstantRateClient"/> run: when it left and came back (Stopwatch ticks), and how.</summary>
public sealed record TimedRequest(long SentAt, long DoneAt, bool Succeeded, string Body);

/// <summary>
/// An open-loop client: one GET every 1/rate seconds whatever the previous ones are doing, so an outage shows as failures
/// or as a gap between successes rather than as a slower client. Through the ingress on 127.0.0.1 with a Host header.
/// </summary>
public sealed class ConstantRateClient(int port, string host, double requestsPerSecond) : IAsyncDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly ConcurrentQueue<TimedRequest> _results = new();
    private readonly ConcurrentBag<Task> _inFlight = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public IReadOnlyCollection<TimedRequest> Results => _results;

    public void Start() => _loop = Task.Run(LoopAsync);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        await Task.WhenAll(_inFlight);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var interval = Stopwatch.Frequency / requestsPerSecond;
        var start = Stopwatch.GetTimestamp();
        for (long i = 0; !_stop.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                try
                {
                    await Task.Delay(wait, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            _inFlight.Add(SendAsync());
        }
    }

    private async Task SendAsync()
    {
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/"));
            request.Headers.Host = host;
            using var response = await _client.SendAsync(request, CancellationToken.None);
            var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
            _results.Enqueue(new TimedRequest(sent, Stopwatch.GetTimestamp(), response.StatusCode == HttpStatusCode.OK, body));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            _results.Enqueue(new TimedRequest(sent, Stopwatch.GetTimestamp(), false, ex.GetType().Name + ": " + ex.Message));
        }
    }
}
