using System.Diagnostics;

namespace MiniPaas.Benchmarks;

/// <summary>Polls a loopback URL until it answers 200 with the expected body; both paths use the same client and interval.</summary>
public static class Probe
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>; <paramref name="host"/> sets the Host header (.NET does not resolve *.localhost here).</summary>
    public static async Task WaitFor200Async(int port, string? host, string expectedBody, TimeSpan timeout, Func<Task<string?>>? failure, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        var sinceFailureCheck = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}/"));
                if (host is not null)
                {
                    request.Headers.Host = host;
                }

                using var response = await Client.SendAsync(request, ct);
                if (response.StatusCode == System.Net.HttpStatusCode.OK
                    && (await response.Content.ReadAsStringAsync(ct)).Contains(expectedBody, StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Nothing listens yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // One slow attempt; keep polling.
            }

            // Checked about once a second only: the check itself (a database query) must not load the measured path.
            if (failure is not null && sinceFailureCheck.Elapsed > TimeSpan.FromSeconds(1))
            {
                sinceFailureCheck.Restart();
                if (await failure() is { } reason)
                {
                    throw new InvalidOperationException($"Deployment failed: {reason}");
                }
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"127.0.0.1:{port} (Host {host ?? "-"}) did not answer 200 with '{expectedBody}' within {timeout}.");
            }

            await Task.Delay(Interval, ct);
        }
    }
}
