using MiniPaas.Core.Events;

namespace MiniPaas.Tests.Events;

public sealed class EventFeedTests
{
    private sealed record Line(long Seq, string Text) : ISequenced;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Publish_ManyItems_SubscriberReceivesInOrder()
    {
        var feed = new EventFeed<int, int>();
        using var sub = feed.Subscribe(1);
        for (var i = 0; i < 500; i++)
        {
            feed.Publish(1, i);
        }

        var received = await TakeAsync(sub, 500);

        Assert.Equal(Enumerable.Range(0, 500), received);
    }

    [Fact]
    public async Task Publish_TwoSubscribers_BothReceiveEverything_OtherTopicsIgnored()
    {
        var feed = new EventFeed<string, int>();
        using var a = feed.Subscribe("a");
        using var b = feed.Subscribe("a");
        using var all = feed.SubscribeAll();
        feed.Publish("other", -1);
        feed.Publish("a", [1, 2, 3]);

        Assert.Equal([1, 2, 3], await TakeAsync(a, 3));
        Assert.Equal([1, 2, 3], await TakeAsync(b, 3));
        Assert.Equal([-1, 1, 2, 3], await TakeAsync(all, 4));
    }

    [Fact]
    public async Task Publish_SlowSubscriberOverflows_LosesOldestAndIsToldHowMany()
    {
        var feed = new EventFeed<int, int>(subscriberCapacity: 10);
        using var slow = feed.Subscribe(1);
        for (var i = 0; i < 25; i++)
        {
            feed.Publish(1, i);
        }

        using var cts = new CancellationTokenSource(Timeout);
        await using var reader = slow.ReadBatchesAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await reader.MoveNextAsync());

        Assert.Equal(15, reader.Current.Dropped);
        Assert.Equal(Enumerable.Range(15, 10), reader.Current.Items);
    }

    [Fact]
    public async Task Publish_SubscriberNeverReads_PublisherIsNotBlocked()
    {
        var feed = new EventFeed<int, int>(subscriberCapacity: 100);
        using var neverRead = feed.Subscribe(1);

        // Synchronous publish of far more than the buffer holds must complete; a blocking publisher would hang here.
        var publish = Task.Run(() =>
        {
            for (var i = 0; i < 1_000_000; i++)
            {
                feed.Publish(1, i);
            }
        });

        await publish.WaitAsync(Timeout);
        Assert.Equal(1_000_000 - 100, neverRead.PendingDropped);
    }

    [Fact]
    public async Task WatchAsync_Cancelled_EndsEnumerationAndUnsubscribes()
    {
        var feed = new EventFeed<int, int>();
        using var cts = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var consumer = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var batch in feed.WatchAsync(7, cts.Token))
            {
                count += batch.Count;
                started.TrySetResult();
            }

            return count;
        });

        while (feed.SubscriberCount(7) == 0)
        {
            await Task.Delay(5);
        }

        feed.Publish(7, 1);
        await started.Task.WaitAsync(Timeout);
        await cts.CancelAsync();

        Assert.Equal(1, await consumer.WaitAsync(Timeout));
        Assert.Equal(0, feed.SubscriberCount(7));
    }

    [Fact]
    public async Task WatchWithHistory_ItemsPublishedDuringHistoryLoad_NoGapNoDuplicate()
    {
        var feed = new EventFeed<int, Line>();
        var stored = new List<Line> { new(1, "a"), new(2, "b") };

        async Task<IReadOnlyList<Line>> LoadHistoryAsync(CancellationToken ct)
        {
            // While history loads, line 2 is re-published (already stored) and line 3 is new: 3 must arrive once, 2 not again.
            feed.Publish(1, new Line(2, "b"));
            feed.Publish(1, new Line(3, "c"));
            await Task.Yield();
            return stored;
        }

        using var cts = new CancellationTokenSource(Timeout);
        var seen = new List<Line>();
        await foreach (var batch in feed.WatchWithHistoryAsync(1, LoadHistoryAsync, cts.Token))
        {
            seen.AddRange(batch);
            if (seen.Count == 3)
            {
                feed.Publish(1, new Line(4, "d"));
            }

            if (seen.Count >= 4)
            {
                break;
            }
        }

        Assert.Equal([1, 2, 3, 4], seen.Select(l => l.Seq));
    }

    [Fact]
    public void SequenceGenerator_Seeded_NeverGoesBackwards()
    {
        var sequence = new SequenceGenerator();
        sequence.Seed(41);
        sequence.Seed(10);

        Assert.Equal(42, sequence.Next());
        Assert.Equal(43, sequence.Next());
    }

    private static async Task<List<int>> TakeAsync(FeedSubscription<int> subscription, int count)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var received = new List<int>();
        await foreach (var batch in subscription.ReadBatchesAsync(cts.Token))
        {
            received.AddRange(batch);
            if (received.Count >= count)
            {
                break;
            }
        }

        return received;
    }
}
