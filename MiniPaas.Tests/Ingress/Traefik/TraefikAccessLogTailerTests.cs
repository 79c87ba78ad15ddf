using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Ingress.Traefik;

namespace MiniPaas.Tests.Ingress.Traefik;

/// <summary>The tailer from a real log file to the request observer, including a restart in the middle.</summary>
public sealed class TraefikAccessLogTailerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "minipaas-tailer-" + Guid.NewGuid().ToString("N")[..8]);

    public TraefikAccessLogTailerTests() => Directory.CreateDirectory(_folder);

    private sealed class RecordingObserver : IRequestObserver
    {
        public ConcurrentQueue<ProxiedRequest> Requests { get; } = new();

        public void OnRequestCompleted(ProxiedRequest request) => Requests.Enqueue(request);
    }

    private TraefikAccessLogTailer CreateTailer(IRequestObserver observer, IRouteTable routes, string mode = "Traefik") => new(
        Options.Create(new IngressOptions { Mode = mode }),
        Options.Create(new TraefikOptions { AccessLogPath = Path.Combine(_folder, "access.json"), AccessLogPollInterval = TimeSpan.FromMilliseconds(50) }),
        Options.Create(new MiniPaasOptions { DataDirectory = Path.Combine(_folder, "data") }),
        routes,
        observer,
        TimeProvider.System,
        NullLogger<TraefikAccessLogTailer>.Instance);

    [Fact]
    public void PollOnce_AppAndForeignLines_HandsOnlyAppRequestsAndResumesAfterRestart()
    {
        var routes = new RouteTable();
        routes.SetUpstream("demo", 12, 34, "172.18.0.5:8080");
        var log = Path.Combine(_folder, "access.json");
        var observer = new RecordingObserver();
        var tailer = CreateTailer(observer, routes);

        using (var follower = new AccessLogFollower(log, tailer.StatePath))
        {
            Assert.Equal(-1, tailer.PollOnce(follower)); // no log yet
            File.AppendAllText(log, string.Join('\n', TraefikAccessLogParserTests.AppLine, TraefikAccessLogParserTests.DashboardLine, "garbage", "") );
            Assert.Equal(1, tailer.PollOnce(follower));
        }

        // MiniPaas restarts; two more requests were logged meanwhile.
        File.AppendAllText(log, TraefikAccessLogParserTests.AppLine.Replace("\"GET\"", "\"DELETE\"", StringComparison.Ordinal) + "\n"
                                + TraefikAccessLogParserTests.AppLine.Replace("\"DownstreamStatus\":200", "\"DownstreamStatus\":503", StringComparison.Ordinal) + "\n");
        var restarted = CreateTailer(observer, routes);
        using (var follower = new AccessLogFollower(log, restarted.StatePath))
        {
            Assert.Equal(2, restarted.PollOnce(follower));
        }

        Assert.Equal(["GET", "DELETE", "GET"], observer.Requests.Select(r => r.Method));
        Assert.Equal([200, 200, 503], observer.Requests.Select(r => r.StatusCode));
        Assert.All(observer.Requests, r => Assert.Equal(12, r.ProjectId));
    }

    [Fact]
    public async Task ExecuteAsync_TraefikMode_DeliversLinesAsTheyAreWritten()
    {
        var routes = new RouteTable();
        routes.SetUpstream("demo", 12, 34, "172.18.0.5:8080");
        var observer = new RecordingObserver();
        using var tailer = CreateTailer(observer, routes);
        await tailer.StartAsync(CancellationToken.None);
        try
        {
            File.AppendAllText(Path.Combine(_folder, "access.json"), TraefikAccessLogParserTests.AppLine + "\n");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (observer.Requests.IsEmpty)
            {
                await Task.Delay(50, timeout.Token);
            }

            Assert.Equal("/products/42", Assert.Single(observer.Requests).Path);
        }
        finally
        {
            await tailer.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ExecuteAsync_YarpMode_DoesNotTouchTheLog()
    {
        var observer = new RecordingObserver();
        using var tailer = CreateTailer(observer, new RouteTable(), mode: "Yarp");
        File.AppendAllText(Path.Combine(_folder, "access.json"), TraefikAccessLogParserTests.AppLine + "\n");

        await tailer.StartAsync(CancellationToken.None);
        await tailer.ExecuteTask!;

        Assert.Empty(observer.Requests);
        Assert.False(File.Exists(tailer.StatePath));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
