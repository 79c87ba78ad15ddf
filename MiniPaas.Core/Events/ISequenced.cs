namespace MiniPaas.Core.Events;

/// <summary>An item carrying a monotonically increasing sequence number, used to de-duplicate history and live data.</summary>
public interface ISequenced
{
    long Seq { get; }
}

/// <summary>Hands out monotonically increasing sequence numbers; seeded from the database at start-up so numbers survive restarts.</summary>
public sealed class SequenceGenerator
{
    private long _last;

    public long Next() => Interlocked.Increment(ref _last);

    /// <summary>Makes every later number greater than <paramref name="atLeast"/>.</summary>
    public void Seed(long atLeast)
    {
        long current;
        while ((current = Interlocked.Read(ref _last)) < atLeast)
        {
            if (Interlocked.CompareExchange(ref _last, atLeast, current) == current)
            {
                return;
            }
        }
    }
}
