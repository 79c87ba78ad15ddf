using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MiniPaas.Core.Logs;
using MiniPaas.Web.Components.Rendering;
using MudBlazor;

namespace MiniPaas.Web.Components.Logs;

/// <summary>
/// A log viewer for build and runtime logs: history then live, virtualised (the DOM stays small at 100,000+ lines), follow mode
/// that pauses when the reader scrolls up, level filter, search over stored history with highlight, ANSI colours rendered safely,
/// copy line, download. Lines arrive on a background task and are rendered in batches at most ~7 times a second (2.5 under a flood); while following,
/// only a window of the newest lines stays in memory (<see cref="ILogViewSource.FollowWindow"/>).
/// </summary>
public sealed partial class LogViewer(IJSRuntime js, ISnackbar snackbar, TimeProvider time) : IAsyncDisposable
{
    // Hard cap while the reader is scrolled up (or the source cannot read earlier lines); while following, the source's window.
    private const int MaxLinesInMemory = 100_000;
    private const int EarlierChunk = 5_000;
    // Lines show within ~150 ms; under a flood (many lines per render) renders slow to 2.5 a second. While following, each feed
    // render is followed by one or two of Virtualize's own once the list scrolled to its new end (measured ~2.3 batches per
    // feed render), so a flood stays well under issue 8's 10 render batches a second per circuit.
    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan FloodRenderInterval = TimeSpan.FromMilliseconds(400);
    private const int FloodLinesPerRender = 100;
    private static CultureInfo Invariant => CultureInfo.InvariantCulture;

    private readonly Lock _incomingLock = new();
    private readonly List<LogViewLine> _lines = [];
    private readonly List<LogViewLine> _filtered = [];
    private List<LogViewLine> _incoming = [];
    private long _incomingLost;
    private bool _incomingNotice;
    private long _lostInTransit;
    private long _dropped;
    private (ILogViewSource Source, long DeploymentId)? _watched;
    private CancellationTokenSource? _watchCts;
    private Task _watching = Task.CompletedTask;
    private RenderThrottle? _throttle;
    private ElementReference _scroller;
    private IJSObjectReference? _module;
    private IJSObjectReference? _follower;
    private DotNetObjectReference<LogViewer>? _self;
    private bool _loading = true;
    private bool _canLoadEarlier;
    private bool _following = true;
    private long _newWhilePaused;
    private string? _minLevel;
    private string _searchInput = string.Empty;
    private string? _searchedFor;
    private List<LogViewLine>? _searchResults;
    private bool _showTimestamps = true;
    private bool _wrap;
    private int _listVersion;
    private int _lastShownCount;

    /// <summary>Where lines come from (build or runtime). Required.</summary>
    [Parameter, EditorRequired]
    public ILogViewSource Source { get; set; } = null!;

    /// <summary>The deployment shown. Required.</summary>
    [Parameter, EditorRequired]
    public long DeploymentId { get; set; }

    /// <summary>Raised when the reader picks another deployment in the selector.</summary>
    [Parameter]
    public EventCallback<long> DeploymentIdChanged { get; set; }

    /// <summary>Deployments offered in the selector; null or empty hides it. Default: null.</summary>
    [Parameter]
    public IReadOnlyList<LogViewDeployment>? Deployments { get; set; }

    /// <summary>The <c>data-testid</c> of the scrolling list. Default: <c>log</c>.</summary>
    [Parameter]
    public string TestId { get; set; } = "log";

    private List<LogViewLine> Shown => _searchResults ?? (_minLevel is null ? _lines : _filtered);

    private string ScrollerClass => _wrap ? "minipaas-log-scroller minipaas-log-wrap" : "minipaas-log-scroller";

    protected override async Task OnParametersSetAsync()
    {
        if (_watched is { } watched && ReferenceEquals(watched.Source, Source) && watched.DeploymentId == DeploymentId)
        {
            return;
        }

        await StopWatchingAsync();
        _watched = (Source, DeploymentId);
        _lines.Clear();
        _filtered.Clear();
        _listVersion++;
        _dropped = 0;
        _lostInTransit = 0;
        _newWhilePaused = 0;
        _loading = true;
        _canLoadEarlier = false;
        if (RendererInfo.IsInteractive)
        {
            // At once after a quiet spell, so a lone line is not held back a whole interval.
            _throttle ??= new RenderThrottle(
                () => InvokeAsync(ShowIncoming),
                () => Volatile.Read(ref _lastShownCount) >= FloodLinesPerRender ? FloodRenderInterval : RenderInterval,
                time,
                renderAtOnceWhenIdle: true);
            _watchCts = new CancellationTokenSource();
            _watching = WatchAsync(Source, DeploymentId, _watchCts.Token);
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive)
        {
            return;
        }

        try
        {
            _self = DotNetObjectReference.Create(this);
            _module = await js.InvokeAsync<IJSObjectReference>("import", "./Components/Logs/LogViewer.razor.js");
            _follower = await _module.InvokeAsync<IJSObjectReference>("attach", _scroller, _self);
        }
        catch (JSDisconnectedException)
        {
            // The page closed before the script loaded.
        }
    }

    /// <summary>Called by the script when the reader scrolls away from the end (false) or back to it (true).</summary>
    [JSInvokable]
    public Task OnFollowChanged(bool following) => InvokeAsync(() =>
    {
        _following = following;
        if (following)
        {
            _newWhilePaused = 0;
        }

        StateHasChanged();
    });

    private async Task WatchAsync(ILogViewSource source, long deploymentId, CancellationToken ct)
    {
        // Consume off the render path.
        await Task.Yield();
        try
        {
            var dropped = await source.DroppedAsync(deploymentId, ct);
            var first = true;
            await foreach (var batch in source.WatchAsync(deploymentId, ct))
            {
                lock (_incomingLock)
                {
                    _incoming.AddRange(batch.Lines);
                    _incomingLost += batch.LostInTransit;
                    _incomingNotice |= !first && batch.Lines.Any(l => l.IsNotice);
                }

                if (first)
                {
                    first = false;
                    await InvokeAsync(() =>
                    {
                        _dropped = dropped;
                        _loading = false;
                        _canLoadEarlier = batch.Lines.Count >= source.HistoryLines;
                        ShowIncoming();
                    });
                }
                else
                {
                    _throttle?.Request();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Another deployment was selected, or the page closed.
        }
#pragma warning disable CA1031 // A broken log feed is reported on the page; the circuit stays up.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await InvokeAsync(() => snackbar.Add($"Lost the {source.Kind} log of deployment #{deploymentId}: {exception.Message}", Severity.Error));
        }
    }

    // Runs on the renderer's context, so the lists are only touched there (Virtualize reads them while rendering).
    private void ShowIncoming()
    {
        List<LogViewLine> arrived;
        long lost;
        bool notice;
        lock (_incomingLock)
        {
            (arrived, lost, notice) = (_incoming, _incomingLost, _incomingNotice);
            _incoming = [];
            _incomingLost = 0;
            _incomingNotice = false;
        }

        Volatile.Write(ref _lastShownCount, arrived.Count);
        foreach (var line in arrived)
        {
            if (line.DeploymentId != _watched?.DeploymentId)
            {
                continue;
            }

            _lines.Add(line);
            if (_minLevel is not null && Passes(line))
            {
                _filtered.Add(line);
            }

            if (!_following && (_minLevel is null || Passes(line)))
            {
                _newWhilePaused++;
            }
        }

        TrimToCapacity();
        _lostInTransit += lost;
        if (notice && _watched is { } watched)
        {
            _ = RefreshDroppedAsync(watched.Source, watched.DeploymentId);
        }

        StateHasChanged();
    }

    private void TrimToCapacity()
    {
        // While the reader follows the end, only the source's window stays in memory (every open tab holds its own list, and a
        // flood would otherwise grow each to the hard cap); a reader scrolled up keeps what they see until the hard cap.
        var keep = _following && _searchResults is null && _watched?.Source.FollowWindow is { } window ? window : MaxLinesInMemory;
        if (LogViewWindow.Trim(_lines, _filtered, keep))
        {
            _canLoadEarlier = true;
        }
    }

    private async Task RefreshDroppedAsync(ILogViewSource source, long deploymentId)
    {
        try
        {
            // The notice is stored with its count in the same transaction; give the writer a moment to flush it.
            await Task.Delay(TimeSpan.FromMilliseconds(500), time);
            var dropped = await source.DroppedAsync(deploymentId, CancellationToken.None);
            await InvokeAsync(() =>
            {
                _dropped = dropped;
                StateHasChanged();
            });
        }
#pragma warning disable CA1031 // Only the banner's number is stale; the log keeps flowing.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private bool Passes(LogViewLine line) =>
        line.IsNotice || LogLevels.Rank(line.Level) >= LogLevels.Rank(_minLevel);

    private void SetMinLevel(ChangeEventArgs args)
    {
        _minLevel = LogLevels.Normalize(args.Value as string);
        _filtered.Clear();
        if (_minLevel is not null)
        {
            _filtered.AddRange(_lines.Where(Passes));
        }

        _listVersion++;
        if (!string.IsNullOrEmpty(_searchedFor))
        {
            _ = SearchForAsync(_searchedFor);
        }
    }

    private async Task SelectDeploymentAsync(ChangeEventArgs args)
    {
        if (long.TryParse(args.Value as string, NumberStyles.None, Invariant, out var id) && id != DeploymentId)
        {
            await DeploymentIdChanged.InvokeAsync(id);
        }
    }

    private Task SearchAsync() => SearchForAsync(_searchInput.Trim());

    private async Task SearchForAsync(string text)
    {
        if (text.Length == 0)
        {
            ClearSearch();
            return;
        }

        try
        {
            var results = await Source.SearchAsync(DeploymentId, text, _minLevel, CancellationToken.None);
            _searchResults = [.. results];
            _searchedFor = text;
            _listVersion++;
        }
#pragma warning disable CA1031 // A failed search is reported; the live view stays.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            snackbar.Add($"Search failed: {exception.Message}", Severity.Error);
        }
    }

    private void ClearSearch()
    {
        _searchResults = null;
        _searchedFor = null;
        _searchInput = string.Empty;
        _listVersion++;
        _following = true;
        _newWhilePaused = 0;
        _ = ScrollToEndAsync();
    }

    private async Task LoadEarlierAsync()
    {
        if (_lines.Count == 0)
        {
            return;
        }

        var earlier = await Source.ReadEarlierAsync(DeploymentId, _lines[0].Seq, EarlierChunk, CancellationToken.None);
        _canLoadEarlier = earlier.Count >= EarlierChunk;
        _lines.InsertRange(0, earlier);
        if (_minLevel is not null)
        {
            _filtered.InsertRange(0, earlier.Where(Passes));
        }

        _listVersion++;
    }

    private async Task JumpToLatestAsync()
    {
        _following = true;
        _newWhilePaused = 0;
        await ScrollToEndAsync();
    }

    private async Task ScrollToEndAsync()
    {
        try
        {
            if (_follower is not null)
            {
                await _follower.InvokeVoidAsync("toEnd");
            }
        }
        catch (JSDisconnectedException)
        {
        }
    }

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
        lock (_incomingLock)
        {
            _incoming = [];
            _incomingLost = 0;
            _incomingNotice = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopWatchingAsync();
        _throttle?.Dispose();
        try
        {
            if (_follower is not null)
            {
                await _follower.InvokeVoidAsync("dispose");
                await _follower.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; the browser already dropped the script.
        }

        _self?.Dispose();
    }
}
