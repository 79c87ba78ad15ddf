namespace MiniPaas.Web.Components.Rendering;

/// <summary>
/// Merges bursts of render requests into at most one render per interval, so a chatty feed cannot flood the circuit.
/// </summary>
public sealed class RenderThrottle : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<Task> _render;
    private readonly Func<TimeSpan> _interval;
    private readonly TimeProvider _time;
    private readonly bool _renderAtOnceWhenIdle;
    private int _pending;
    private long _lastRenderStart = long.MinValue;

    /// <param name="render">The render to run (it marshals to the renderer itself, e.g. through <c>InvokeAsync</c>).</param>
    /// <param name="interval">Least time between two renders.</param>
    /// <param name="time">Clock for the waits.</param>
    /// <param name="renderAtOnceWhenIdle">
    /// False (default): a request waits a whole interval, so a burst right after it folds into the same render. True: a
    /// request made an interval or more after the last render starts renders at once, and later ones wait until an interval
    /// has passed since that render's start — the same cap on renders per second, with less delay after a quiet spell.
    /// </param>
    public RenderThrottle(Func<Task> render, TimeSpan interval, TimeProvider time, bool renderAtOnceWhenIdle = false)
        : this(render, () => interval, time, renderAtOnceWhenIdle)
    {
    }

    /// <param name="render">The render to run.</param>
    /// <param name="interval">Least time between two renders, read before each wait (e.g. longer while a feed floods).</param>
    /// <param name="time">Clock for the waits.</param>
    /// <param name="renderAtOnceWhenIdle">See the other constructor.</param>
    public RenderThrottle(Func<Task> render, Func<TimeSpan> interval, TimeProvider time, bool renderAtOnceWhenIdle = false)
    {
        _render = render;
        _interval = interval;
        _time = time;
        _renderAtOnceWhenIdle = renderAtOnceWhenIdle;
    }

    /// <summary>Asks for a render; returns at once. Requests made before the scheduled render are folded into it.</summary>
    public void Request()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _ = RenderLaterAsync();
        }
    }

    private async Task RenderLaterAsync()
    {
        try
        {
            var interval = _interval();
            var wait = _renderAtOnceWhenIdle ? WaitBeforeNextRender(interval) : interval;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, _stopping.Token);
            }
            else
            {
                // Off the caller's stack (a feed's reader), like the delayed path.
                await Task.Yield();
                _stopping.Token.ThrowIfCancellationRequested();
            }

            Volatile.Write(ref _pending, 0);
            Interlocked.Exchange(ref _lastRenderStart, _time.GetTimestamp());
            await _render();
        }
        catch (OperationCanceledException)
        {
            // Disposed while waiting: the component is gone.
        }
        catch (ObjectDisposedException)
        {
            // The renderer was disposed between the delay and the render.
        }
    }

    private TimeSpan WaitBeforeNextRender(TimeSpan interval)
    {
        var last = Interlocked.Read(ref _lastRenderStart);
        return last == long.MinValue ? TimeSpan.Zero : interval - _time.GetElapsedTime(last);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
