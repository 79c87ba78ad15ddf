using System.Collections;

namespace MiniPaas.Core.Events;

/// <summary>Items delivered to one subscriber together, plus how many items this subscriber lost since the previous batch because it read too slowly.</summary>
public sealed class FeedBatch<T>(IReadOnlyList<T> items, long dropped) : IReadOnlyList<T>
{
    public IReadOnlyList<T> Items { get; } = items;

    /// <summary>Items dropped (oldest first) before this batch because the subscriber's buffer was full.</summary>
    public long Dropped { get; } = dropped;

    public int Count => Items.Count;

    public T this[int index] => Items[index];

    public IEnumerator<T> GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
