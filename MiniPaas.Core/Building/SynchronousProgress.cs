namespace MiniPaas.Core.Building;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls the handler on the reporting thread, in order. <see cref="Progress{T}"/> posts to the
/// thread pool, which reorders log lines.
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
