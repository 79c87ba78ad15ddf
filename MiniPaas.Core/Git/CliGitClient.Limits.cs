using System.Globalization;

namespace MiniPaas.Core.Git;

/// <summary>The time and size limits of git operations (<c>MiniPaas:Builder:CloneTimeout</c>, <c>MaxCloneBytes</c>).</summary>
public sealed partial class CliGitClient
{
    /// <summary>Longest a clone (with the fetch of a pinned commit), or a look-up of a branch head, may take. Default: 10 min.</summary>
    public TimeSpan CloneTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Most bytes a checkout may take on disk, watched while git writes it. Default: 1 GiB.</summary>
    public long MaxCloneBytes { get; init; } = 1L << 30;

    /// <summary>How often the checkout's size is measured while git runs. Default: 500 ms.</summary>
    public TimeSpan SizeCheckInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Clock of the limits (tests drive it). Default: the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Runs <paramref name="operation"/> under <see cref="CloneTimeout"/> and, when <paramref name="checkout"/> is given, with its
    /// size watched against <see cref="MaxCloneBytes"/>. Either limit cancels the operation, which kills git (CliWrap kills the
    /// process on cancellation), and ends in a <see cref="GitException"/> that names the limit.
    /// </summary>
    private async Task<T> WithinLimitsAsync<T>(GitSource source, string? checkout, Func<CancellationToken, Task<T>> operation, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(CloneTimeout, TimeProvider);
        using var tooLarge = new CancellationTokenSource();
        using var limited = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token, tooLarge.Token);
        using var stopWatching = new CancellationTokenSource();
        var watch = checkout is null ? Task.CompletedTask : WatchSizeAsync(checkout, tooLarge, stopWatching.Token);
        try
        {
            return await operation(limited.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && (tooLarge.IsCancellationRequested || timeout.IsCancellationRequested))
        {
            throw Fail(tooLarge.IsCancellationRequested ? TooLarge(source) : TimedOut(source));
        }
        finally
        {
            await stopWatching.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
        }
    }

    private async Task WatchSizeAsync(string checkout, CancellationTokenSource tooLarge, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(SizeCheckInterval, TimeProvider, ct).ConfigureAwait(false);
                if (CheckoutSize.Of(checkout) > MaxCloneBytes)
                {
                    await tooLarge.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The operation ended first.
        }
    }

    private GitException TooLarge(GitSource source) => new(
        GitFailure.TooLarge,
        $"Cloning {source.Value} stopped: the repository is larger than the {CheckoutSize.Describe(MaxCloneBytes)} limit (MiniPaas:Builder:MaxCloneBytes).");

    private GitException TimedOut(GitSource source) => new(
        GitFailure.TimedOut,
        $"git stopped: {source.Value} did not answer within the {Describe(CloneTimeout)} limit (MiniPaas:Builder:CloneTimeout).");

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0.#} min")
            : string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.#} s");

    /// <summary>
    /// Output kept for parsing and for explaining failures, bounded: the first lines (answers such as a SHA or a commit
    /// message are at the start) or the last ones (git's reason for failing is at the end).
    /// </summary>
    private sealed class CapturedLines(int capacity, bool keepLast) : IReadOnlyList<string>
    {
        private readonly List<string> _lines = [];

        public int Count => _lines.Count;

        public string this[int index] => _lines[index];

        public void Add(string line)
        {
            if (_lines.Count < capacity)
            {
                _lines.Add(line);
            }
            else if (keepLast)
            {
                _lines.RemoveAt(0);
                _lines.Add(line);
            }
        }

        public IEnumerator<string> GetEnumerator() => _lines.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
