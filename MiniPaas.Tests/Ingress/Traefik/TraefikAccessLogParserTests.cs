using MiniPaas.Core.Ingress;
using MiniPaas.Core.Ingress.Traefik;

namespace MiniPaas.Tests.Ingress.Traefik;

/// <summary>Lines in the exact shape Traefik v3 writes with <c>accessLog.format: json</c> (keys sorted, durations in ns).</summary>
public sealed class TraefikAccessLogParserTests
{
    // A request routed to an app by the Docker provider, with the User-Agent and Referer headers kept (traefik/traefik.yml).
    internal const string AppLine =
        """{"ClientAddr":"172.18.0.1:48962","ClientHost":"172.18.0.1","ClientPort":"48962","ClientUsername":"-","DownstreamContentSize":1534,"DownstreamStatus":200,"Duration":3818702,"OriginContentSize":1534,"OriginDuration":3521874,"OriginStatus":200,"Overhead":296828,"RequestAddr":"demo.localhost","RequestContentSize":0,"RequestCount":7,"RequestHost":"demo.localhost","RequestMethod":"GET","RequestPath":"/products/42?ref=mail&utm_source=x","RequestPort":"-","RequestProtocol":"HTTP/1.1","RequestScheme":"http","RetryAttempts":0,"RouterName":"minipaas-demo@docker","ServiceAddr":"172.18.0.5:8080","ServiceName":"minipaas-demo@docker","ServiceURL":"http://172.18.0.5:8080","StartLocal":"2026-11-26T01:12:03.487613241Z","StartUTC":"2026-11-26T01:12:03.487613241Z","entryPointName":"web","level":"info","msg":"","request_Referer":"https://news.example.org/item?id=1","request_User-Agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36","time":"2026-11-26T01:12:03Z"}""";

    // A host no router matches: Traefik answers 404 itself, with no router, service or origin fields.
    internal const string NoRouterLine =
        """{"ClientAddr":"127.0.0.1:51234","ClientHost":"127.0.0.1","ClientPort":"51234","ClientUsername":"-","DownstreamContentSize":19,"DownstreamStatus":404,"Duration":92731,"OriginContentSize":0,"OriginDuration":0,"OriginStatus":0,"Overhead":92731,"RequestAddr":"ghost.localhost:80","RequestContentSize":0,"RequestCount":8,"RequestHost":"ghost.localhost","RequestMethod":"POST","RequestPath":"/submit","RequestPort":"80","RequestProtocol":"HTTP/1.1","RequestScheme":"http","RetryAttempts":0,"StartLocal":"2026-11-26T01:12:04.100000000Z","StartUTC":"2026-11-26T01:12:04.1Z","entryPointName":"web","level":"info","msg":"","request_User-Agent":"curl/8.5.0","time":"2026-11-26T01:12:04Z"}""";

    // The MiniPaas dashboard behind Traefik's file provider.
    internal const string DashboardLine =
        """{"ClientAddr":"127.0.0.1:51240","ClientHost":"127.0.0.1","ClientPort":"51240","ClientUsername":"-","DownstreamContentSize":2211,"DownstreamStatus":200,"Duration":5120448,"OriginContentSize":2211,"OriginDuration":5002113,"OriginStatus":200,"Overhead":118335,"RequestAddr":"minipaas.localhost","RequestContentSize":0,"RequestCount":9,"RequestHost":"minipaas.localhost","RequestMethod":"GET","RequestPath":"/projects","RequestPort":"-","RequestProtocol":"HTTP/1.1","RequestScheme":"http","RetryAttempts":0,"RouterName":"minipaas-dashboard@file","ServiceAddr":"minipaas:3000","ServiceName":"minipaas-dashboard@file","ServiceURL":"http://minipaas:3000","StartLocal":"2026-11-26T01:12:05.000000001Z","StartUTC":"2026-11-26T01:12:05.000000001Z","entryPointName":"web","level":"info","msg":"","time":"2026-11-26T01:12:05Z"}""";

    [Fact]
    public void TryParse_AppLine_ReadsEveryField()
    {
        Assert.True(TraefikAccessLogParser.TryParse(AppLine, out var entry));

        Assert.Equal(new DateTimeOffset(2026, 11, 26, 1, 12, 3, TimeSpan.Zero).AddTicks(4876132), entry!.Start);
        Assert.Equal("GET", entry.Method);
        Assert.Equal("/products/42", entry.Path); // the query string is not kept
        Assert.Equal("demo.localhost", entry.Host);
        Assert.Equal(200, entry.Status);
        Assert.Equal(3.818702, entry.DurationMs, precision: 9); // 3818702 ns
        Assert.Equal(1534, entry.BytesSent);
        Assert.Equal(0, entry.BytesReceived);
        Assert.Equal("minipaas-demo@docker", entry.RouterName);
        Assert.Equal("minipaas-demo@docker", entry.ServiceName);
        Assert.Equal("172.18.0.1", entry.ClientHost);
        Assert.StartsWith("Mozilla/5.0 (X11; Linux x86_64)", entry.UserAgent, StringComparison.Ordinal);
        Assert.Equal("https://news.example.org/item?id=1", entry.Referrer);
    }

    [Fact]
    public void TryParse_NoRouterLine_HasNoRouterAndNoReferrer()
    {
        Assert.True(TraefikAccessLogParser.TryParse(NoRouterLine, out var entry));

        Assert.Null(entry!.RouterName);
        Assert.Null(entry.Referrer);
        Assert.Equal(404, entry.Status);
        Assert.Equal("POST", entry.Method);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 1, 12, 4, 100, TimeSpan.Zero), entry.Start);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not json")]
    [InlineData("""{"ClientHost":"1.2.3.4","RequestMethod":"GET","StartUTC":"2026-11-26T01:12:03Z"}""")] // no status
    [InlineData("""{"level":"info","msg":"Configuration loaded from file: /etc/traefik/traefik.yml","time":"2026-11-26T01:00:00Z"}""")]
    [InlineData("""{"ClientHost":"1.2.3.4","RequestMethod":"GET","DownstreamStatus":200,"StartUTC":"2026-11-26T01:12""")] // cut mid-line
    [InlineData("[1,2,3]")]
    public void TryParse_NotARequestRecord_IsRefused(string line)
    {
        Assert.False(TraefikAccessLogParser.TryParse(line, out var entry));
        Assert.Null(entry);
    }

    [Fact]
    public void ToRequest_AppLine_MapsToKnownProjectWithNamedFields()
    {
        var routes = new RouteTable();
        routes.SetUpstream("demo", projectId: 12, deploymentId: 34, "172.18.0.5:8080");
        Assert.True(TraefikAccessLogParser.TryParse(AppLine, out var entry));

        var request = TraefikRequestMapper.ToRequest(entry!, routes, "localhost");

        Assert.NotNull(request);
        Assert.Equal(12, request.ProjectId);
        Assert.Equal(34, request.DeploymentId);
        Assert.Equal("demo", request.Subdomain);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/products/42", request.Path);
        Assert.Equal(200, request.StatusCode);
        Assert.Equal(3.818702, request.DurationMs, precision: 6);
        Assert.Equal(1534, request.BytesSent);
        Assert.Equal("172.18.0.1", request.RemoteIp);
        Assert.Equal(entry!.UserAgent, request.UserAgent);
        Assert.Equal(entry.Start, request.Timestamp);
        Assert.Equal(entry.BytesReceived, request.BytesReceived);
        Assert.Equal("https://news.example.org/item?id=1", request.Referrer);
    }

    [Fact]
    public void ToRequest_NoRouterForKnownHost_MapsByHost_DashboardAndUnknownAreDropped()
    {
        var routes = new RouteTable();
        routes.SetUnavailable("ghost", projectId: 5, "Stopped");
        Assert.True(TraefikAccessLogParser.TryParse(NoRouterLine, out var ghost));
        Assert.True(TraefikAccessLogParser.TryParse(DashboardLine, out var dashboard));
        Assert.True(TraefikAccessLogParser.TryParse(AppLine, out var unknownApp));

        Assert.Equal(5, TraefikRequestMapper.ToRequest(ghost!, routes, "localhost")?.ProjectId);
        Assert.Null(TraefikRequestMapper.ToRequest(dashboard!, routes, "localhost"));
        Assert.Null(TraefikRequestMapper.ToRequest(unknownApp!, routes, "localhost")); // "demo" has no route here
    }
}
