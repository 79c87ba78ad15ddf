using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace MiniPaas.Core.Events;

/// <summary>
/// One subscriber's bounded buffer. Registered on creation, so a caller can subscribe first and read history afterwards
/// without missing what is published in between. Dispose to unsubscribe.
/// </summary>
public sealed class FeedSubscription<T> : IDisposable
{
    private readonly Channel<T> _channel;
    private readonly Action<FeedSubscription<T>> _unsubscribe;
    private readonly int _maxBatchSize;
    private long _dropped;
    private int _disposed;

    internal FeedSubscription(int capacity, int maxBatchSize, Action<FeedSubscription<T>> unsubscribe)
    {
        _maxBatchSize = maxBatchSize;
        _unsubscribe = unsubscribe;
        // DropOldest keeps publishers from ever waiting on a slow reader; the callback counts what this reader lost.
        _channel = Channel.CreateBounded<T>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Total items this subscriber has lost so far and not yet been told about.</summary>
    public long PendingDropped => Interlocked.Read(ref _dropped);

    internal void Offer(T item) => _channel.Writer.TryWrite(item);

    /// <summary>Yields what arrives, in publication order, as batches; ends when <paramref name="ct"/> is cancelled or the subscription disposed.</summary>
    public async IAsyncEnumerable<FeedBatch<T>> ReadBatchesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var reader = _channel.Reader;
        while (true)
        {
            bool hasData;
            try
            {
                hasData = await reader.WaitToReadAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                yield break;
            }

            if (!hasData)
            {
                yield break;
            }

            var items = new List<T>();
            while (items.Count < _maxBatchSize && reader.TryRead(out var item))
            {
                items.Add(item);
            }

            var dropped = Interlocked.Exchange(ref _dropped, 0);
            if (items.Count > 0 || dropped > 0)
            {
                yield return new FeedBatch<T>(items, dropped);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unsubscribe(this);
            _channel.Writer.TryComplete();
        }
    }
}
