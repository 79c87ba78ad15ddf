using System.Globalization;
using Microsoft.AspNetCore.Components;
using MiniPaas.Core.Analytics;
using MiniPaas.Web.Components.Rendering;
using MudBlazor;

namespace MiniPaas.Web.Components.Analytics;

/// <summary>
/// Request analytics of one project over a chosen window: totals, requests, status classes, latency percentiles, visitors
/// per day, top paths and referrers, people vs bots. Live: each batch the ingestor stores for this project triggers a
/// re-query, merged to at most one refresh a second, and the sliding windows move on by themselves every minute.
/// </summary>
public sealed partial class RequestAnalyticsView(RequestAnalytics analytics, RequestActivityFeed feed, TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private TimeChartLook _timeLook = new();
    private AnalyticsWindow _window = new(AnalyticsRangePreset.Last24Hours);
    private DateRange? _customDays;
    private RenderThrottle? _refresh;
    private ITimer? _slide;
    private Task? _consumer;
    private bool _live;
    private int _version;
    private string? _error;
    private RequestTotals? _totals;
    private List<TimeLine> _requestSeries = [];
    private List<TimeLine> _statusSeries = [];
    private List<TimeLine> _latencySeries = [];
    private List<ChartSeries<double>> _visitorSeries = [];
    private string[] _visitorLabels = [];
    private List<ChartSeries<double>> _agentSeries = [];
    private readonly string[] _agentLabels = ["People", "Bots", "Other"];
    private IReadOnlyList<RankedCount> _topPaths = [];
    private IReadOnlyList<RankedCount> _topReferrers = [];

    /// <summary>The project shown. Required.</summary>
    [Parameter]
    [EditorRequired]
    public long ProjectId { get; set; }

    /// <summary>The app's public URL, named in the empty state. Default null.</summary>
    [Parameter]
    public Uri? AppUrl { get; set; }

    /// <summary>
    /// Slot for the container CPU/memory charts, rendered below the request charts with the current window. Default null
    /// (nothing rendered).
    /// </summary>
    [Parameter]
    public RenderFragment<AnalyticsWindow>? ContainerStats { get; set; }

    protected override async Task OnInitializedAsync()
    {
        _refresh = new RenderThrottle(() => InvokeAsync(LoadAsync), RefreshInterval, time);

        // Subscribe first, then load: a batch stored during the first load still triggers a refresh afterwards.
        var subscription = feed.Subscribe(ProjectId);
        _consumer = ConsumeAsync(subscription, _disposed.Token);
        _slide = time.CreateTimer(_ => _refresh.Request(), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        await LoadAsync();
    }

    private async Task SelectPresetAsync(AnalyticsRangePreset preset)
    {
        _window = preset == AnalyticsRangePreset.Custom
            ? new AnalyticsWindow(preset, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-6), DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))
            : new AnalyticsWindow(preset);
        if (preset == AnalyticsRangePreset.Custom)
        {
            _customDays = new DateRange(_window.CustomFrom!.Value.ToDateTime(TimeOnly.MinValue), _window.CustomTo!.Value.ToDateTime(TimeOnly.MinValue));
        }

        await LoadAsync();
    }

    private async Task SelectCustomAsync(DateRange? days)
    {
        _customDays = days;
        if (days?.Start is { } start && days.End is { } end)
        {
            _window = new AnalyticsWindow(AnalyticsRangePreset.Custom, DateOnly.FromDateTime(start), DateOnly.FromDateTime(end));
            await LoadAsync();
        }
    }

    private async Task LoadAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _loading.WaitAsync(_disposed.Token);
        try
        {
            var now = time.GetUtcNow();
            var range = _window.Resolve(now);
            var ct = _disposed.Token;
            var series = await analytics.GetSeriesAsync(ProjectId, range, ct: ct);
            var totals = await analytics.GetTotalsAsync(ProjectId, range, ct);
            var perDay = await analytics.GetVisitorsPerDayAsync(ProjectId, range, ct);
            _topPaths = await analytics.GetTopPathsAsync(ProjectId, range, 10, ct);
            _topReferrers = await analytics.GetTopReferrersAsync(ProjectId, range, 10, ct);

            _timeLook = new TimeChartLook(TimeLabelFormat: range.Length > TimeSpan.FromDays(2) ? "MM-dd" : "HH:mm");
            _requestSeries = AnalyticsCharts.Requests(series);
            _statusSeries = AnalyticsCharts.StatusClasses(series);
            _latencySeries = AnalyticsCharts.Latency(series);
            _visitorLabels = [.. perDay.Select(d => d.Day.ToString("MM-dd", CultureInfo.InvariantCulture))];
            _visitorSeries = [new ChartSeries<double> { Name = "Visitors", Data = perDay.Select(d => (double)d.Visitors).ToArray() }];
            _agentSeries = [new ChartSeries<double> { Name = "Requests", Data = new double[] { totals.Browsers, totals.Bots, totals.OtherAgents } }];
            _totals = totals;
            _live = _window.IsLive(now);
            _error = null;
            _version++;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // The database may be away; say so and keep the page (the next batch or minute retries).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _error = ex.Message;
            _totals ??= RequestTotals.Empty;
        }
        finally
        {
            _loading.Release();
        }

        StateHasChanged();
    }

    private async Task ConsumeAsync(Core.Events.FeedSubscription<MinuteRollup> subscription, CancellationToken ct)
    {
        using (subscription)
        {
            try
            {
                await foreach (var _ in subscription.ReadBatchesAsync(ct))
                {
                    if (_window.IsLive(time.GetUtcNow()))
                    {
                        _refresh?.Request();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The page went away.
            }
        }
    }

    private string ErrorRate() => _totals is { Requests: > 0 } t
        ? (t.Status5xx / (double)t.Requests).ToString("0.0%", CultureInfo.InvariantCulture)
        : "–";

    private static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Milliseconds(double? value) => value is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + " ms" : "–";

    private static string Bytes(long value) => value switch
    {
        >= 1L << 30 => (value / (double)(1L << 30)).ToString("0.0 GiB", CultureInfo.InvariantCulture),
        >= 1L << 20 => (value / (double)(1L << 20)).ToString("0.0 MiB", CultureInfo.InvariantCulture),
        >= 1L << 10 => (value / (double)(1L << 10)).ToString("0.0 KiB", CultureInfo.InvariantCulture),
        _ => value.ToString(CultureInfo.InvariantCulture) + " B",
    };

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (_slide is not null)
        {
            await _slide.DisposeAsync();
        }

        if (_consumer is not null)
        {
            await _consumer;
        }

        _refresh?.Dispose();
        _disposed.Dispose();
        _loading.Dispose();
    }
}
