namespace MiniPaas.Web.Components.Rendering;

/// <summary>
/// Merges bursts of render requests into at most one render per interval, so a chatty feed cannot flood the circuit.
/// </summary>
/// <param name="render">The render to run (it marshals to the renderer itself, e.g. through <c>InvokeAsync</c>).</param>
/// <param name="interval">Least time between two renders.</param>
/// <param name="time">Clock for the waits.</param>
/// <param name="renderAtOnceWhenIdle">
/// False (default): a request waits a whole interval, so a burst right after it folds into the same render. True: a request
/// made an interval or more after the last render starts renders at once, and later ones wait until an interval has passed
/// since that render's start — the same cap on renders per second, with less delay for the first line after a quiet spell.
/// </param>
public sealed class RenderThrottle(Func<Task> render, TimeSpan interval, TimeProvider time, bool renderAtOnceWhenIdle = false) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private int _pending;
    private long _lastRenderStart = long.MinValue;

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
            var wait = renderAtOnceWhenIdle ? WaitBeforeNextRender() : interval;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, _stopping.Token);
            }
            else
            {
                // Off the caller's stack (a feed's reader), like the delayed path.
                await Task.Yield();
                _stopping.Token.ThrowIfCancellationRequested();
            }

            Volatile.Write(ref _pending, 0);
            Interlocked.Exchange(ref _lastRenderStart, time.GetTimestamp());
            await render();
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

    private TimeSpan WaitBeforeNextRender()
    {
        var last = Interlocked.Read(ref _lastRenderStart);
        return last == long.MinValue ? TimeSpan.Zero : interval - time.GetElapsedTime(last);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
