using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Ingress.Traefik;

/// <summary>
/// In Traefik mode, follows Traefik's JSON access log and hands each request for one of our apps to the
/// <see cref="IRequestObserver"/> — the same capture point the embedded ingress feeds. Does nothing in YARP mode.
/// </summary>
public sealed partial class TraefikAccessLogTailer(
    IOptions<IngressOptions> ingressOptions,
    IOptions<TraefikOptions> traefikOptions,
    IOptions<MiniPaasOptions> miniPaasOptions,
    IRouteTable routes,
    IRequestObserver observer,
    TimeProvider timeProvider,
    ILogger<TraefikAccessLogTailer> logger) : BackgroundService
{
    /// <summary>Where the tailer keeps its offset: <c>&lt;DataDirectory&gt;/traefik/access-log.state</c>.</summary>
    public string StatePath => System.IO.Path.Combine(miniPaasOptions.Value.ResolvedDataDirectory, "traefik", "access-log.state");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!ingressOptions.Value.IsTraefik)
        {
            return;
        }

        var settings = traefikOptions.Value;
        using var follower = new AccessLogFollower(settings.AccessLogPath, StatePath);
        LogTailing(settings.AccessLogPath);
        var missingReported = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var handed = PollOnce(follower);
                if (!missingReported && handed < 0)
                {
                    LogMissing(settings.AccessLogPath);
                    missingReported = true;
                }
            }
            catch (IOException ex)
            {
                LogReadFailed(settings.AccessLogPath, ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                LogReadFailed(settings.AccessLogPath, ex);
            }

            try
            {
                await Task.Delay(settings.AccessLogPollInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads new lines and hands the app requests among them to the observer; returns how many, or -1 when the log does not exist.</summary>
    internal int PollOnce(AccessLogFollower follower)
    {
        ArgumentNullException.ThrowIfNull(follower);
        // Read first: a rotated-away file whose replacement has not appeared yet still has lines to drain.
        var lines = follower.ReadNewLines();
        if (lines.Count == 0 && !File.Exists(follower.Path))
        {
            return -1;
        }

        var handed = 0;
        var appsDomain = ingressOptions.Value.AppsDomain;
        foreach (var line in lines)
        {
            if (!TraefikAccessLogParser.TryParse(line, out var entry))
            {
                continue;
            }

            if (TraefikRequestMapper.ToRequest(entry!, routes, appsDomain) is not { } request)
            {
                continue;
            }

            try
            {
                observer.OnRequestCompleted(request);
                handed++;
            }
#pragma warning disable CA1031 // A faulty observer must not stop the tailer (the YARP ingress treats it the same way).
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogObserverFailed(ex);
            }
        }

        if (lines.Count > 0)
        {
            follower.SaveState();
        }

        return handed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Traefik mode: tailing the access log {Path} for request analytics")]
    private partial void LogTailing(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Traefik access log {Path} does not exist yet; is Traefik running with the JSON access log (traefik/traefik.yml) and the shared volume?")]
    private partial void LogMissing(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the Traefik access log {Path}; retrying")]
    private partial void LogReadFailed(string path, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The request observer threw; the Traefik request record was dropped")]
    private partial void LogObserverFailed(Exception exception);
}
