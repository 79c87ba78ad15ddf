using System.Net.Sockets;

namespace MiniPaas.Core.Deploying;

/// <summary>Outcome of waiting for a container to become healthy.</summary>
public sealed record HealthResult(bool IsHealthy, string Detail);

/// <summary>
/// Decides when a new container may receive traffic: it must accept TCP connections on its upstream and, when a
/// health-check path is set, answer it with 2xx/3xx.
/// </summary>
public sealed class HealthProbe(TimeProvider timeProvider)
{
    // One client for all probes; no proxy, since upstreams are local addresses.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) });

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(3);

    /// <param name="upstream">host:port of the container.</param>
    /// <param name="healthCheckPath">HTTP path to GET, or null for a TCP check only.</param>
    /// <param name="timeout">How long to keep trying.</param>
    /// <param name="isStillRunning">Lets the caller stop early when the container exited.</param>
    public async Task<HealthResult> WaitUntilHealthyAsync(
        string upstream,
        string? healthCheckPath,
        TimeSpan timeout,
        Func<CancellationToken, Task<bool>>? isStillRunning = null,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstream);
        var deadline = timeProvider.GetTimestamp() + (long)(timeout.TotalSeconds * timeProvider.TimestampFrequency);
        var lastProblem = "no answer yet";
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var (ok, detail) = await TryOnceAsync(upstream, healthCheckPath, ct).ConfigureAwait(false);
            if (ok)
            {
                return new HealthResult(true, detail);
            }

            lastProblem = detail;
            if (isStillRunning is not null && !await isStillRunning(ct).ConfigureAwait(false))
            {
                return new HealthResult(false, $"the container exited before it became healthy ({lastProblem})");
            }

            if (timeProvider.GetTimestamp() >= deadline)
            {
                return new HealthResult(false, $"not healthy after {timeout.TotalSeconds:0} s: {lastProblem}");
            }

            await Task.Delay(PollInterval, timeProvider, ct).ConfigureAwait(false);
        }
    }

    private static async Task<(bool Ok, string Detail)> TryOnceAsync(string upstream, string? path, CancellationToken ct)
    {
        var (host, port) = SplitUpstream(upstream);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(AttemptTimeout);
        try
        {
            using (var tcp = new TcpClient())
            {
                await tcp.ConnectAsync(host, port, attempt.Token).ConfigureAwait(false);
            }

            if (string.IsNullOrEmpty(path))
            {
                return (true, $"accepting connections on port {port}");
            }

            using var response = await Http.GetAsync(new Uri($"http://{upstream}{path}"), HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 400
                ? (true, $"GET {path} answered {status}")
                : (false, $"GET {path} answered {status}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, $"no answer on port {port} within {AttemptTimeout.TotalSeconds:0} s");
        }
        catch (SocketException ex)
        {
            return (false, $"port {port}: {ex.SocketErrorCode}");
        }
        catch (HttpRequestException ex)
        {
            return (false, $"GET {path} failed: {ex.Message}");
        }
    }

    internal static (string Host, int Port) SplitUpstream(string upstream)
    {
        var colon = upstream.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(upstream.AsSpan(colon + 1), out var port))
        {
            throw new ArgumentException($"Upstream '{upstream}' is not host:port.", nameof(upstream));
        }

        return (upstream[..colon].Trim('[', ']'), port);
    }
}
