using System.Runtime.CompilerServices;

namespace MiniPaas.Core.Events;

/// <summary>
/// The "subscribe, then read history, then de-duplicate by seq" pattern: no gap between history and live data, and no duplicate.
/// </summary>
public static class HistoryThenLive
{
    /// <summary>
    /// Subscribes to <paramref name="topic"/>, then loads history, yields it as the first batch, then yields live items whose
    /// <see cref="ISequenced.Seq"/> is greater than anything already yielded.
    /// </summary>
    public static async IAsyncEnumerable<FeedBatch<T>> WatchWithHistoryAsync<TKey, T>(
        this EventFeed<TKey, T> feed,
        TKey topic,
        Func<CancellationToken, Task<IReadOnlyList<T>>> loadHistory,
        [EnumeratorCancellation] CancellationToken ct = default)
        where TKey : notnull
        where T : ISequenced
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(loadHistory);

        // Subscribing before loading history is what closes the gap: anything published while history loads waits in the buffer.
        using var subscription = feed.Subscribe(topic);
        var history = await loadHistory(ct).ConfigureAwait(false);
        var lastSeq = long.MinValue;
        foreach (var item in history)
        {
            lastSeq = Math.Max(lastSeq, item.Seq);
        }

        yield return new FeedBatch<T>(history, 0);

        await foreach (var batch in subscription.ReadBatchesAsync(ct).ConfigureAwait(false))
        {
            var fresh = new List<T>(batch.Count);
            foreach (var item in batch)
            {
                if (item.Seq > lastSeq)
                {
                    fresh.Add(item);
                    lastSeq = item.Seq;
                }
            }

            if (fresh.Count > 0 || batch.Dropped > 0)
            {
                yield return new FeedBatch<T>(fresh, batch.Dropped);
            }
        }
    }
}
