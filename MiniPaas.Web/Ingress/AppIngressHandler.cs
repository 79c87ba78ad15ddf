using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using MiniPaas.Core.Ingress;
using MiniPaas.Web.Hosting;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms.Builder;

namespace MiniPaas.Web.Ingress;

/// <summary>
/// Answers every request whose Host is <c>&lt;subdomain&gt;.&lt;AppsDomain&gt;</c>: proxies to the live upstream through
/// YARP's <see cref="IHttpForwarder"/>, or answers 404 (unknown app), 503 (no live deployment), 502/504 (upstream down).
/// </summary>
/// <remarks>
/// Why the forwarder rather than <c>MapReverseProxy</c>: the host branch runs before endpoint routing is consulted, but
/// <c>WebApplication</c> inserts its implicit <c>UseRouting</c> at the very start of the pipeline, so an endpoint (a Blazor
/// page) is already chosen when the branch runs and a nested <c>UseRouting</c> skips matching. Forwarding directly keeps the
/// branch independent of the dashboard's endpoints; the <see cref="RouteTableProxyConfigProvider"/> stays registered and in
/// sync as the same table seen through YARP's config model.
/// </remarks>
public sealed partial class AppIngressHandler : IDisposable
{
    private readonly LiveRoutes _routes;
    private readonly IHttpForwarder _forwarder;
    private readonly IRequestObserver _observer;
    private readonly IngressEndpoint _endpoint;
    private readonly DashboardHosts _dashboardHosts;
    private readonly TimeProvider _time;
    private readonly ILogger<AppIngressHandler> _logger;
    private readonly HttpTransformer _transformer;
    private readonly string _hostSuffix;

    // One invoker for every upstream: SocketsHttpHandler already keeps a separate connection pool per host:port, and a
    // single long-lived handler avoids disposing a pool while a request of the previous deployment is still draining.
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // Idle connections to a replaced deployment go away quickly.
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    });

    public AppIngressHandler(
        RouteTable table,
        IHttpForwarder forwarder,
        ITransformBuilder transforms,
        IRequestObserver observer,
        IngressEndpoint endpoint,
        DashboardHosts dashboardHosts,
        TimeProvider time,
        ILogger<AppIngressHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(dashboardHosts);
        _routes = new LiveRoutes(table);
        _forwarder = forwarder;
        _observer = observer;
        _endpoint = endpoint;
        _dashboardHosts = dashboardHosts;
        _time = time;
        _logger = logger;
        _hostSuffix = "." + endpoint.AppsDomain;
        // Default transforms: X-Forwarded-For/Proto/Host/Prefix; the upstream sees its own address as Host.
        _transformer = transforms.Create(_ => { });
    }

    /// <summary>The subdomain when <paramref name="host"/> is an app host, else null (the dashboard's own hosts included).</summary>
    public string? MatchSubdomain(HostString host)
    {
        var subdomain = MatchSubdomain(host.Value);
        return subdomain.IsEmpty ? null : subdomain.ToString();
    }

    /// <summary>
    /// Handles the request when its Host is an app host and returns the task doing it; null when the request is the
    /// dashboard's. Runs for every request MiniPaas gets, so it reads the Host header as a span and allocates nothing
    /// for dashboard requests or for a known app's route lookup.
    /// </summary>
    public Task? TryHandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var subdomain = MatchSubdomain(context.Request.Host.Value);
        if (subdomain.IsEmpty)
        {
            return null;
        }

        return _routes.TryFind(subdomain, out var route)
            ? HandleAsync(context, route)
            : IngressPages.WriteNotFoundAsync(NoStatusCodePages(context), subdomain.ToString(), _endpoint.DashboardUrl);
    }

    public Task HandleAsync(HttpContext context, string subdomain)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TryHandleAsync(context, subdomain);
    }

    private Task TryHandleAsync(HttpContext context, string subdomain) =>
        _routes.TryFind(subdomain, out var route)
            ? HandleAsync(context, route)
            : IngressPages.WriteNotFoundAsync(NoStatusCodePages(context), subdomain, _endpoint.DashboardUrl);

    private async Task HandleAsync(HttpContext context, LiveRoute live)
    {
        NoStatusCodePages(context);
        var route = live.Route;
        var started = _time.GetTimestamp();
        var timestamp = _time.GetUtcNow();
        var original = context.Response.Body;
        var counter = new ByteCountingStream(original);
        context.Response.Body = counter;
        try
        {
            if (live.Destination is null)
            {
                await IngressPages.WriteUnavailableAsync(context, route.Subdomain, route.Status);
            }
            else
            {
                await ProxyAsync(context, route.Subdomain, live.Destination);
            }
        }
        finally
        {
            context.Response.Body = original;
            Observe(context, route, counter.BytesWritten, _time.GetElapsedTime(started), timestamp);
        }
    }

    // The dashboard's status-code pages must never replace an app's own (empty-bodied) 404.
    private static HttpContext NoStatusCodePages(HttpContext context)
    {
        context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
        return context;
    }

    /// <summary>
    /// The subdomain part of a Host header value (port ignored), or empty when it is not an app host. A dashboard host is
    /// never an app host, even under <c>AppsDomain</c> (and even when a project has that subdomain): it would skip sign-in.
    /// </summary>
    private ReadOnlySpan<char> MatchSubdomain(string? hostValue)
    {
        // Case is ignored by every comparison below; a trailing dot and Unicode labels are normalised first.
        var name = HostNames.Normalize(HostName(hostValue));
        if (name.Length <= _hostSuffix.Length
            || !name.EndsWith(_hostSuffix, StringComparison.OrdinalIgnoreCase)
            || _dashboardHosts.Contains(name))
        {
            return [];
        }

        return name[..^_hostSuffix.Length];
    }

    // The host part as HostString.Host reads it: "[v6]" kept whole, "name:port" cut at the colon, a bare v6 left alone.
    private static ReadOnlySpan<char> HostName(string? value)
    {
        var span = value.AsSpan();
        if (span.StartsWith('['))
        {
            var end = span.IndexOf(']');
            return end < 0 ? span : span[..(end + 1)];
        }

        var colon = span.IndexOf(':');
        return colon >= 0 && span[(colon + 1)..].IndexOf(':') < 0 ? span[..colon] : span;
    }

    public void Dispose() => _invoker.Dispose();

    private async Task ProxyAsync(HttpContext context, string subdomain, string destination)
    {
        // The app decides how large a body it accepts (uploads); the dashboard's 30 MB default is not its business.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        var error = await _forwarder.SendAsync(context, destination, _invoker, RouteTableProxyConfigProvider.RequestConfig, _transformer);
        if (error == ForwarderError.None)
        {
            return;
        }

        var exception = context.GetForwarderErrorFeature()?.Exception;
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled)
        {
            return; // The client went away; nothing to tell anyone.
        }

        LogProxyFailed(subdomain, destination, error, exception);
        if (!context.Response.HasStarted)
        {
            var status = context.Response.StatusCode == StatusCodes.Status504GatewayTimeout
                ? StatusCodes.Status504GatewayTimeout
                : StatusCodes.Status502BadGateway;
            await IngressPages.WriteBadGatewayAsync(context, subdomain, status);
        }
    }

    private void Observe(HttpContext context, AppRoute route, long bytes, TimeSpan elapsed, DateTimeOffset timestamp)
    {
        try
        {
            _observer.OnRequestCompleted(new ProxiedRequest(
                route.ProjectId,
                route.DeploymentId,
                route.Subdomain,
                context.Request.Method,
                context.Request.Path.Value ?? "/",
                context.Response.StatusCode,
                elapsed.TotalMilliseconds,
                bytes,
                context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
                context.Connection.RemoteIpAddress?.ToString(),
                timestamp,
                context.Request.ContentLength ?? 0,
                context.Request.Headers.Referer.ToString() is { Length: > 0 } referrer ? referrer : null,
                context.Request.QueryString.HasValue ? context.Request.QueryString.Value : null));
        }
#pragma warning disable CA1031 // A faulty observer must never break the proxy.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogObserverFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Proxying {Subdomain} to {Upstream} failed: {Error}")]
    private partial void LogProxyFailed(string subdomain, string upstream, ForwarderError error, Exception? exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The request observer threw; the request record was dropped")]
    private partial void LogObserverFailed(Exception exception);
}
