using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Deploying.Docker;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Deploying.Docker;

[Trait("Category", "Docker")]
public sealed class DockerEngineMonitorTests(DockerEngineFixture engine) : IClassFixture<DockerEngineFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ProbeAsync_RunningEngine_ReportsConnectedWithVersion()
    {
        using var monitor = CreateMonitor(engine.Endpoint, out var provider);
        using var _ = provider;

        var status = await monitor.ProbeAsync();

        Assert.True(status.IsConnected, status.Error);
        Assert.Null(status.Error);
        Assert.Equal(engine.Endpoint, status.Endpoint);
        Assert.False(string.IsNullOrWhiteSpace(status.Version));
        Assert.False(string.IsNullOrWhiteSpace(status.ApiVersion));
        Assert.Same(status, monitor.Current);
    }

    [Fact]
    public async Task ExecuteAsync_RunningEngine_WatchYieldsConnected()
    {
        using var monitor = CreateMonitor(engine.Endpoint, out var provider);
        using var _ = provider;
        using var cts = new CancellationTokenSource(Timeout);

        await monitor.StartAsync(cts.Token);
        try
        {
            EngineStatus? connected = null;
            await foreach (var status in monitor.WatchAsync(cts.Token))
            {
                if (status.IsConnected)
                {
                    connected = status;
                    break;
                }
            }

            Assert.NotNull(connected);
            Assert.False(string.IsNullOrWhiteSpace(connected.Version));
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ExecuteAsync_BogusEndpoint_ReportsDisconnectedWithReadableErrorAndKeepsRunning()
    {
        const string bogus = "unix:///tmp/nope.sock";
        using var monitor = CreateMonitor(bogus, out var provider);
        using var _ = provider;
        using var cts = new CancellationTokenSource(Timeout);

        await monitor.StartAsync(cts.Token);
        try
        {
            var seen = new List<EngineStatus>();
            await foreach (var status in monitor.WatchAsync(cts.Token))
            {
                seen.Add(status);
                if (status.Error?.Contains("not reachable", StringComparison.Ordinal) == true)
                {
                    break;
                }
            }

            var last = seen[^1];
            Assert.False(last.IsConnected);
            Assert.StartsWith($"Docker engine not reachable at {bogus}: ", last.Error, StringComparison.Ordinal);
            Assert.Contains("start dockerd or set MiniPaas__Docker__Endpoint", last.Error, StringComparison.Ordinal);
            Assert.Matches(": (no such socket|connection refused) — ", last.Error);
            Assert.DoesNotContain('\n', last.Error!);

            // The loop survives failed probes: a second probe still answers with a status, not an exception.
            var again = await monitor.ProbeAsync(cts.Token);
            Assert.False(again.IsConnected);
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ExecuteAsync_EngineAppearsAfterStart_ReconnectsByItself()
    {
        var enginePath = new Uri(engine.Endpoint).LocalPath;
        var socketPath = Path.Combine(Path.GetTempPath(), $"minipaas-test-{Guid.NewGuid():N}.sock");
        using var monitor = CreateMonitor($"unix://{socketPath}", out var provider);
        using var _ = provider;
        using var cts = new CancellationTokenSource(Timeout);

        await monitor.StartAsync(cts.Token);
        SocketForwarder? forwarder = null;
        try
        {
            var sawDown = false;
            await foreach (var status in monitor.WatchAsync(cts.Token))
            {
                if (!sawDown && status.Error?.Contains("not reachable", StringComparison.Ordinal) == true)
                {
                    sawDown = true;
                    // The engine "comes back": a socket appears at the endpoint, forwarding to the real engine.
                    forwarder = new SocketForwarder(socketPath, enginePath);
                }
                else if (sawDown && status.IsConnected)
                {
                    break;
                }
            }

            Assert.True(monitor.Current.IsConnected, monitor.Current.Error);
            Assert.Null(monitor.Current.Error);
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
            forwarder?.Dispose();
        }
    }

    [Fact]
    public async Task ExecuteAsync_ProbeIntervalElapses_ProbesAgainOnTheTimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new DockerOptions { Endpoint = "unix:///tmp/nope.sock", ProbeInterval = TimeSpan.FromSeconds(5) });
        using var provider = new DockerClientProvider(options);
        using var monitor = new DockerEngineMonitor(provider, options, time, NullLogger<DockerEngineMonitor>.Instance);
        var start = time.GetUtcNow();

        await monitor.StartAsync(CancellationToken.None);
        try
        {
            await WaitForAsync(() => monitor.Current.Error?.Contains("not reachable", StringComparison.Ordinal) == true);
            Assert.Equal(start, monitor.Current.CheckedAt);

            // Let the loop reach its delay (registered on the fake clock) before moving time.
            await Task.Delay(300);
            time.Advance(TimeSpan.FromSeconds(4));
            await Task.Delay(200);
            Assert.Equal(start, monitor.Current.CheckedAt);

            time.Advance(TimeSpan.FromSeconds(1));
            await WaitForAsync(() => monitor.Current.CheckedAt == start.AddSeconds(5));
            Assert.False(monitor.Current.IsConnected);
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(20, cts.Token);
        }
    }

    private static DockerEngineMonitor CreateMonitor(string endpoint, out DockerClientProvider provider)
    {
        var options = Options.Create(new DockerOptions { Endpoint = endpoint, ProbeInterval = TimeSpan.FromMilliseconds(200) });
        provider = new DockerClientProvider(options);
        return new DockerEngineMonitor(provider, options, TimeProvider.System, NullLogger<DockerEngineMonitor>.Instance);
    }

    /// <summary>A unix socket that pipes every connection to another one: stands in for an engine that starts late.</summary>
    private sealed class SocketForwarder : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly CancellationTokenSource _stop = new();
        private readonly string _path;

        public SocketForwarder(string path, string target)
        {
            _path = path;
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            _listener.Listen();
            _ = AcceptLoopAsync(target);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Dispose();
            _stop.Dispose();
            File.Delete(_path);
        }

        private async Task AcceptLoopAsync(string target)
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptAsync(_stop.Token);
                    _ = PipeAsync(client, target);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopped.
            }
        }

        private static async Task PipeAsync(Socket client, string target)
        {
            using var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            using var downstream = client;
            try
            {
                await upstream.ConnectAsync(new UnixDomainSocketEndPoint(target));
                await using var a = new NetworkStream(downstream, ownsSocket: false);
                await using var b = new NetworkStream(upstream, ownsSocket: false);
                await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // Either side went away.
            }
        }
    }
}
