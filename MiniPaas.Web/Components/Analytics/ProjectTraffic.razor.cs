using Microsoft.AspNetCore.Components;
using MiniPaas.Core.Analytics;
using MiniPaas.Web.Components.Rendering;

namespace MiniPaas.Web.Components.Analytics;

/// <summary>
/// A project's last hour of traffic for the projects list: a sparkline of requests per minute and the live rate, kept
/// current from <see cref="RequestActivityFeed"/> (at most one render a second).
/// </summary>
public sealed partial class ProjectTraffic(RequestAnalytics analytics, RequestActivityFeed feed, TimeProvider time) : IAsyncDisposable
{
    private const int Minutes = 60;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private long[] _counts = new long[Minutes];
    private DateTimeOffset _firstMinute;
    private RenderThrottle? _throttle;
    private ITimer? _roll;
    private Task? _consumer;

    /// <summary>The project whose traffic is shown. Required.</summary>
    [Parameter]
    [EditorRequired]
    public long ProjectId { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _throttle = new RenderThrottle(() => InvokeAsync(StateHasChanged), TimeSpan.FromSeconds(1), time);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            _firstMinute = MinuteRollup.MinuteOf(now).AddMinutes(1 - Minutes);
        }

        // Subscribe before reading, so nothing stored meanwhile is missed; a batch that arrives during the read is merged
        // by taking the larger count per minute, which never double-counts a stored minute.
        var subscription = feed.Subscribe(ProjectId);
        _consumer = ConsumeAsync(subscription, _disposed.Token);
        try
        {
            var recent = await analytics.GetRecentPerMinuteAsync([ProjectId], Minutes, now, _disposed.Token);
            lock (_gate)
            {
                for (var i = 0; i < Minutes; i++)
                {
                    _counts[i] = Math.Max(_counts[i], recent[ProjectId][i]);
                }
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // A sparkline must never break the projects list; it stays empty when the database is away.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        _roll = time.CreateTimer(_ => { Roll(time.GetUtcNow()); _throttle.Request(); }, null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
    }

    private IReadOnlyList<long> CountsSnapshot()
    {
        lock (_gate)
        {
            return [.. _counts];
        }
    }

    /// <summary>Requests in the last 60 seconds, estimated from the current and the previous minute.</summary>
    private double RatePerMinute()
    {
        var now = time.GetUtcNow();
        Roll(now);
        lock (_gate)
        {
            var elapsed = (now - MinuteRollup.MinuteOf(now)).TotalMinutes;
            return _counts[^1] + (_counts[^2] * (1 - elapsed));
        }
    }

    private void Roll(DateTimeOffset now)
    {
        lock (_gate)
        {
            var first = MinuteRollup.MinuteOf(now).AddMinutes(1 - Minutes);
            var shift = (int)Math.Min(Minutes, (first - _firstMinute).Ticks / TimeSpan.TicksPerMinute);
            if (shift <= 0)
            {
                return;
            }

            var next = new long[Minutes];
            Array.Copy(_counts, shift, next, 0, Minutes - shift);
            _counts = next;
            _firstMinute = first;
        }
    }

    private async Task ConsumeAsync(Core.Events.FeedSubscription<MinuteRollup> subscription, CancellationToken ct)
    {
        using (subscription)
        {
            try
            {
                await foreach (var batch in subscription.ReadBatchesAsync(ct))
                {
                    Roll(time.GetUtcNow());
                    lock (_gate)
                    {
                        foreach (var rollup in batch)
                        {
                            var index = (int)((rollup.Minute - _firstMinute).Ticks / TimeSpan.TicksPerMinute);
                            if (index is >= 0 and < Minutes)
                            {
                                _counts[index] += rollup.Requests;
                            }
                        }
                    }

                    _throttle?.Request();
                }
            }
            catch (OperationCanceledException)
            {
                // The row went away.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_roll is not null)
        {
            await _roll.DisposeAsync();
        }

        if (_consumer is not null)
        {
            await _consumer;
        }

        _throttle?.Dispose();
        _disposed.Dispose();
    }
}
