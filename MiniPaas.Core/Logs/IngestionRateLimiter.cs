using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace MiniPaas.Core.Logs;

/// <summary>
/// A token bucket per project: a steady <see cref="LogsOptions.RateLimitLinesPerSecond"/> plus a burst allowance. One app
/// flooding its stdout uses up only its own bucket, so the other projects' lines keep arriving.
/// </summary>
public sealed class IngestionRateLimiter(IOptions<LogsOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<long, Bucket> _buckets = new();

    /// <summary>Takes one line's allowance for <paramref name="projectId"/>; false when the line must be dropped.</summary>
    public bool TryAcquire(long projectId)
    {
        var settings = options.Value;
        var bucket = _buckets.GetOrAdd(projectId, _ => new Bucket(settings.RateLimitBurst, timeProvider.GetTimestamp()));
        lock (bucket)
        {
            var now = timeProvider.GetTimestamp();
            var elapsed = timeProvider.GetElapsedTime(bucket.LastRefill, now);
            bucket.LastRefill = now;
            bucket.Tokens = Math.Min(settings.RateLimitBurst, bucket.Tokens + (elapsed.TotalSeconds * settings.RateLimitLinesPerSecond));
            if (bucket.Tokens < 1)
            {
                return false;
            }

            bucket.Tokens -= 1;
            return true;
        }
    }

    private sealed class Bucket(double tokens, long lastRefill)
    {
        public double Tokens { get; set; } = tokens;

        public long LastRefill { get; set; } = lastRefill;
    }
}
