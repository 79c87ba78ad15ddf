using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace MiniPaas.Core.Events;

/// <summary>
/// In-process publish/subscribe of <typeparamref name="T"/> by topic (e.g. a deployment id). Publishers never block:
/// each subscriber owns a bounded buffer that drops its oldest items when full and reports how many it dropped.
/// </summary>
public class EventFeed<TKey, T> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, ImmutableArray<FeedSubscription<T>>> _byTopic = new();
    private ImmutableArray<FeedSubscription<T>> _allTopics = [];

    /// <param name="subscriberCapacity">Items buffered per subscriber before the oldest are dropped.</param>
    /// <param name="maxBatchSize">Most items delivered in one batch.</param>
    public EventFeed(int subscriberCapacity = 10_000, int maxBatchSize = 1_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(subscriberCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        SubscriberCapacity = subscriberCapacity;
        MaxBatchSize = maxBatchSize;
    }

    public int SubscriberCapacity { get; }

    public int MaxBatchSize { get; }

    public void Publish(TKey topic, T item)
    {
        if (_byTopic.TryGetValue(topic, out var subscribers))
        {
            foreach (var subscriber in subscribers)
            {
                subscriber.Offer(item);
            }
        }

        // ImmutableArray wraps a single reference, so this read is atomic.
        foreach (var subscriber in _allTopics)
        {
            subscriber.Offer(item);
        }
    }

    public void Publish(TKey topic, IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            Publish(topic, item);
        }
    }

    /// <summary>Registers a subscriber of one topic now; read it with <see cref="FeedSubscription{T}.ReadBatchesAsync"/>.</summary>
    public FeedSubscription<T> Subscribe(TKey topic)
    {
        FeedSubscription<T>? subscription = null;
        subscription = new FeedSubscription<T>(SubscriberCapacity, MaxBatchSize, s => Remove(topic, s));
        _byTopic.AddOrUpdate(topic, _ => [subscription], (_, list) => list.Add(subscription));
        return subscription;
    }

    /// <summary>Registers a subscriber of every topic now.</summary>
    public FeedSubscription<T> SubscribeAll()
    {
        var subscription = new FeedSubscription<T>(SubscriberCapacity, MaxBatchSize, RemoveFromAll);
        ImmutableInterlocked.Update(ref _allTopics, list => list.Add(subscription));
        return subscription;
    }

    /// <summary>Live items of one topic, as batches, until <paramref name="ct"/> is cancelled.</summary>
    public async IAsyncEnumerable<FeedBatch<T>> WatchAsync(TKey topic, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var subscription = Subscribe(topic);
        await foreach (var batch in subscription.ReadBatchesAsync(ct).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    /// <summary>Live items of every topic, as batches, until <paramref name="ct"/> is cancelled.</summary>
    public async IAsyncEnumerable<FeedBatch<T>> WatchAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        using var subscription = SubscribeAll();
        await foreach (var batch in subscription.ReadBatchesAsync(ct).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    /// <summary>Number of subscribers of <paramref name="topic"/> (not counting all-topic subscribers).</summary>
    public int SubscriberCount(TKey topic) => _byTopic.TryGetValue(topic, out var list) ? list.Length : 0;

    private void Remove(TKey topic, FeedSubscription<T> subscription)
    {
        while (_byTopic.TryGetValue(topic, out var list))
        {
            var updated = list.Remove(subscription);
            if (updated.IsEmpty
                ? _byTopic.TryRemove(new KeyValuePair<TKey, ImmutableArray<FeedSubscription<T>>>(topic, list))
                : _byTopic.TryUpdate(topic, updated, list))
            {
                return;
            }
        }
    }

    private void RemoveFromAll(FeedSubscription<T> subscription) =>
        ImmutableInterlocked.Update(ref _allTopics, list => list.Remove(subscription));
}
