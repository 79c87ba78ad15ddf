namespace MiniPaas.Web.Components.Rendering;

/// <summary>
/// Merges bursts of render requests into at most one render per interval, so a chatty feed cannot flood the circuit.
/// </summary>
public sealed class RenderThrottle(Func<Task> render, TimeSpan interval, TimeProvider time) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private int _pending;

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
            await Task.Delay(interval, time, _stopping.Token);
            Volatile.Write(ref _pending, 0);
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

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }
}
