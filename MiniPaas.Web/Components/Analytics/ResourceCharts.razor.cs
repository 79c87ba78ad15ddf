using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Analytics.Stats;
using MiniPaas.Web.Components.Rendering;
using MudBlazor;

namespace MiniPaas.Web.Components.Analytics;

/// <summary>
/// A project's CPU % and memory over a time range (memory limit drawn as its own line), from stored samples then live ones,
/// rendered at most ~4 times a second. Reusable: the project page and the analytics page embed it with their own range.
/// </summary>
public sealed partial class ResourceCharts(
    ContainerStatsStore store,
    ContainerStatsFeed feed,
    IOptions<ContainerStatsOptions> statsOptions,
    TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(250);
    private const int MaxPoints = 120;
    private const double MiB = 1024 * 1024;

    private readonly Lock _seriesLock = new();
    private TimeChartLook _cpuLook = new(YAxisTitle: "% of one CPU", ShowLegend: false);
    private TimeChartLook _memoryLook = new(YAxisTitle: "MiB");
    private ResourceSeries? _series;
    private IReadOnlyList<ResourcePoint> _points = [];
    private List<TimeLine> _cpuSeries = [];
    private List<TimeLine> _memorySeries = [];
    private (long ProjectId, TimeSpan Range, DateTimeOffset? To)? _watched;
    private CancellationTokenSource? _watchCts;
    private Task _watching = Task.CompletedTask;
    private RenderThrottle? _throttle;
    private string? _error;
    private TimeSpan _sampleInterval;

    /// <summary>The project whose containers are charted. Required.</summary>
    [Parameter, EditorRequired]
    public long ProjectId { get; set; }

    /// <summary>Length of the time range shown. Default: 1 hour.</summary>
    [Parameter]
    public TimeSpan Range { get; set; } = TimeSpan.FromHours(1);

    /// <summary>End of a fixed range; null (the default) shows a window ending now that moves on and updates live.</summary>
    [Parameter]
    public DateTimeOffset? To { get; set; }

    private bool IsLive => To is null;

    private string LatestCpu => _points.LastOrDefault(p => p.CpuPercent is not null)?.CpuPercent is { } cpu
        ? string.Create(CultureInfo.InvariantCulture, $"{cpu:0.0} %")
        : "—";

    private string LatestMemory => _points.Count == 0
        ? "—"
        : _points[^1] is { } last && last.MemoryLimitBytes is { } limit
            ? string.Create(CultureInfo.InvariantCulture, $"{last.MemoryUsedBytes / MiB:0.0} MiB of {limit / MiB:0} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{_points[^1].MemoryUsedBytes / MiB:0.0} MiB");

    protected override async Task OnParametersSetAsync()
    {
        _sampleInterval = statsOptions.Value.Interval;
        var key = (ProjectId, Range, To);
        if (_watched == key)
        {
            return;
        }

        await StopWatchingAsync();
        _watched = key;
        _series = null;
        _points = [];
        _error = null;
        // The time-series chart draws nothing before the circuit is interactive, so loading waits for it.
        if (RendererInfo.IsInteractive)
        {
            _throttle ??= new RenderThrottle(() => InvokeAsync(ShowLatest), RenderInterval, time);
            _watchCts = new CancellationTokenSource();
            _watching = WatchAsync(key.ProjectId, key.Range, key.To, _watchCts.Token);
        }
    }

    private async Task WatchAsync(long projectId, TimeSpan range, DateTimeOffset? to, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            // Subscribe before loading history: samples stored meanwhile wait in the subscription, and the series skips
            // those the history already counted (by sequence number).
            using var subscription = to is null ? feed.Subscribe(projectId) : null;
            var end = to ?? time.GetUtcNow();
            var width = ResourceSeries.WidthFor(range, _sampleInterval, MaxPoints);
            // A live window also shows samples arriving after the history query; a fixed one stops at its end.
            var series = await store.LoadSeriesAsync(projectId, end - range, to ?? end.AddDays(1), width, ct);
            lock (_seriesLock)
            {
                _series = series;
            }

            await InvokeAsync(ShowLatest);
            if (subscription is null)
            {
                return;
            }

            await foreach (var batch in subscription.ReadBatchesAsync(ct))
            {
                var changed = false;
                lock (_seriesLock)
                {
                    foreach (var sample in batch)
                    {
                        changed |= series.Add(sample);
                    }
                }

                if (changed)
                {
                    _throttle?.Request();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Another range or project was chosen, or the page closed.
        }
#pragma warning disable CA1031 // A failed load is shown in the component; the circuit stays up.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await InvokeAsync(() =>
            {
                _error = exception.Message;
                StateHasChanged();
            });
        }
    }

    // Runs on the renderer's context; the series is read under the lock the consumer writes under.
    private void ShowLatest()
    {
        lock (_seriesLock)
        {
            if (_series is null)
            {
                return;
            }

            if (IsLive)
            {
                _series.DropBefore(time.GetUtcNow() - Range);
            }

            _points = _series.Points();
        }

        var cpu = _points.Where(p => p.CpuPercent is not null).Select(p => new TimePoint(p.Time.UtcDateTime, p.CpuPercent!.Value)).ToList();
        var memory = _points.Select(p => new TimePoint(p.Time.UtcDateTime, p.MemoryUsedBytes / MiB)).ToList();
        var limit = _points.Where(p => p.MemoryLimitBytes is not null).Select(p => new TimePoint(p.Time.UtcDateTime, p.MemoryLimitBytes!.Value / MiB)).ToList();
        _cpuSeries = [new TimeLine("CPU %", cpu)];
        _memorySeries = limit.Count > 0 ? [new TimeLine("Used", memory), new TimeLine("Limit", limit)] : [new TimeLine("Used", memory)];
        // Markers keep a young series visible: a line needs two points, a marker one.
        var showMarkers = _points.Count <= 30;
        var format = Range > TimeSpan.FromDays(1) ? "MM-dd HH:mm" : "HH:mm";
        _cpuLook = _cpuLook with { ShowMarkers = showMarkers, TimeLabelFormat = format };
        _memoryLook = _memoryLook with { ShowMarkers = showMarkers, TimeLabelFormat = format };
        StateHasChanged();
    }

    private static string FormatInterval(TimeSpan interval) => interval switch
    {
        { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{interval.TotalDays:0.#} d"),
        { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{interval.TotalHours:0.#} h"),
        { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{interval.TotalMinutes:0.#} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{interval.TotalSeconds:0.#} s"),
    };

    private async Task StopWatchingAsync()
    {
        if (_watchCts is null)
        {
            return;
        }

        await _watchCts.CancelAsync();
        await _watching;
        _watchCts.Dispose();
        _watchCts = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopWatchingAsync();
        _throttle?.Dispose();
    }
}
