using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Logs;
using MiniPaas.Web.Components.Rendering;
using MudBlazor;

namespace MiniPaas.Web.Components.Deployments;

/// <summary>
/// A deployment's build log, history then live, in a virtualised monospace list that follows the end.
/// Lines arrive on a background task and are rendered at most ~10 times a second.
/// </summary>
public sealed partial class BuildLogView(BuildLogRecorder recorder, IJSRuntime js, ISnackbar snackbar, TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(100);
    private readonly Lock _incomingLock = new();
    private readonly List<BuildLogLine> _lines = [];
    private List<BuildLogLine> _incoming = [];
    private long _incomingDropped;
    private long _dropped;
    private long? _watchedId;
    private CancellationTokenSource? _watchCts;
    private Task _watching = Task.CompletedTask;
    private RenderThrottle? _throttle;
    private ElementReference _scroller;
    private IJSObjectReference? _module;
    private IJSObjectReference? _follower;

    /// <summary>The deployment whose log is shown. Required.</summary>
    [Parameter, EditorRequired]
    public long DeploymentId { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (_watchedId == DeploymentId)
        {
            return;
        }

        await StopWatchingAsync();
        _watchedId = DeploymentId;
        _lines.Clear();
        _dropped = 0;
        if (RendererInfo.IsInteractive)
        {
            _throttle ??= new RenderThrottle(() => InvokeAsync(ShowIncoming), RenderInterval, time);
            _watchCts = new CancellationTokenSource();
            _watching = WatchAsync(DeploymentId, _watchCts.Token);
        }
        else
        {
            // Prerender: the stored history, so the page is useful before the circuit connects.
            _lines.AddRange(await recorder.ReadAsync(DeploymentId));
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
            _module = await js.InvokeAsync<IJSObjectReference>("import", "./Components/Deployments/BuildLogView.razor.js");
            _follower = await _module.InvokeAsync<IJSObjectReference>("follow", _scroller);
        }
        catch (JSDisconnectedException)
        {
            // The page closed before the script loaded.
        }
    }

    private async Task WatchAsync(long deploymentId, CancellationToken ct)
    {
        // Consume off the render path.
        await Task.Yield();
        try
        {
            await foreach (var batch in recorder.WatchAsync(deploymentId, ct))
            {
                lock (_incomingLock)
                {
                    _incoming.AddRange(batch.Items);
                    _incomingDropped += batch.Dropped;
                }

                _throttle?.Request();
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
            await InvokeAsync(() => snackbar.Add($"Lost the build log of deployment #{deploymentId}: {exception.Message}", Severity.Error));
        }
    }

    // Runs on the renderer's context, so _lines is only ever touched there (Virtualize reads it while rendering).
    private void ShowIncoming()
    {
        List<BuildLogLine> arrived;
        long dropped;
        lock (_incomingLock)
        {
            arrived = _incoming;
            dropped = _incomingDropped;
            _incoming = [];
            _incomingDropped = 0;
        }

        _lines.AddRange(arrived.Where(l => l.DeploymentId == _watchedId));
        _dropped += dropped;
        StateHasChanged();
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
            _incomingDropped = 0;
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
    }
}
