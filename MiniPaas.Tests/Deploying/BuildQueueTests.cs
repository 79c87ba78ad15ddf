using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;

namespace MiniPaas.Tests.Deploying;

public sealed class BuildQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>A runner whose deployments finish only when the test releases them.</summary>
    private sealed class GatedRunner : IDeploymentRunner
    {
        public ConcurrentDictionary<long, TaskCompletionSource> Gates { get; } = new();
        public ConcurrentQueue<long> Started { get; } = new();
        public ConcurrentQueue<long> Superseded { get; } = new();
        public ConcurrentQueue<long> Cancelled { get; } = new();
        public ConcurrentQueue<long> Completed { get; } = new();
        private int _concurrent;
        public int MaxObservedConcurrency;

        public async Task RunAsync(DeployRequest request, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref _concurrent);
            InterlockedMax(ref MaxObservedConcurrency, now);
            Started.Enqueue(request.DeploymentId);
            try
            {
                await Gates.GetOrAdd(request.DeploymentId, _ => new TaskCompletionSource()).Task.WaitAsync(ct);
                Completed.Enqueue(request.DeploymentId);
            }
            catch (OperationCanceledException)
            {
                Cancelled.Enqueue(request.DeploymentId);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _concurrent);
            }
        }

        public Task MarkSupersededAsync(DeployRequest request, CancellationToken ct)
        {
            Superseded.Enqueue(request.DeploymentId);
            return Task.CompletedTask;
        }

        public void Release(long deploymentId) => Gates.GetOrAdd(deploymentId, _ => new TaskCompletionSource()).TrySetResult();

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    private static BuildQueue CreateQueue(GatedRunner runner, int maxConcurrent) =>
        new(runner, Options.Create(new BuilderOptions { MaxConcurrentBuilds = maxConcurrent }), NullLogger<BuildQueue>.Instance);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }

    [Fact]
    public async Task Enqueue_MoreThanConcurrency_RunsAtMostMaxAtOnce()
    {
        var runner = new GatedRunner();
        using var queue = CreateQueue(runner, maxConcurrent: 2);
        await queue.StartAsync(CancellationToken.None);
        for (var project = 1; project <= 5; project++)
        {
            queue.Enqueue(new DeployRequest(project, project * 10));
        }

        await WaitUntilAsync(() => runner.Started.Count == 2);
        await Task.Delay(100);
        Assert.Equal(2, runner.Started.Count);

        foreach (var id in new long[] { 10, 20, 30, 40, 50 })
        {
            runner.Release(id);
        }

        await WaitUntilAsync(() => runner.Completed.Count == 5);
        Assert.Equal(2, runner.MaxObservedConcurrency);

        // Dispatch is first-in first-out; two builds started together may report in either order.
        Assert.Equal([10L, 20L], runner.Started.Take(2).Order());
        Assert.Equal([10L, 20L, 30L, 40L, 50L], runner.Started.Order());
        await queue.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Enqueue_NewerForSameProjectWhileRunning_CancelsRunningAndMarksItSuperseded()
    {
        var runner = new GatedRunner();
        using var queue = CreateQueue(runner, maxConcurrent: 2);
        await queue.StartAsync(CancellationToken.None);

        queue.Enqueue(new DeployRequest(1, 100));
        await WaitUntilAsync(() => runner.Started.Contains(100));
        queue.Enqueue(new DeployRequest(1, 101));

        await WaitUntilAsync(() => runner.Started.Contains(101));
        runner.Release(101);
        await WaitUntilAsync(() => runner.Completed.Contains(101));
        await WaitUntilAsync(() => runner.Superseded.Contains(100));

        Assert.Contains(100L, runner.Cancelled);
        Assert.DoesNotContain(101L, runner.Superseded);
        await queue.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Enqueue_NewerForSameProjectWhileQueued_ReplacesQueuedOne()
    {
        var runner = new GatedRunner();
        using var queue = CreateQueue(runner, maxConcurrent: 1);
        await queue.StartAsync(CancellationToken.None);

        queue.Enqueue(new DeployRequest(1, 10));
        await WaitUntilAsync(() => runner.Started.Contains(10));
        queue.Enqueue(new DeployRequest(2, 20));
        queue.Enqueue(new DeployRequest(2, 21));

        await WaitUntilAsync(() => runner.Superseded.Contains(20));
        Assert.Equal([new DeployRequest(2, 21)], queue.Pending);

        runner.Release(10);
        runner.Release(21);
        await WaitUntilAsync(() => runner.Completed.Contains(21));
        Assert.DoesNotContain(20L, runner.Started);
        await queue.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Enqueue_SameProjectQueuedBehindOthers_NeverRunsTwoOfOneProjectAtOnce()
    {
        var runner = new GatedRunner();
        using var queue = CreateQueue(runner, maxConcurrent: 3);
        await queue.StartAsync(CancellationToken.None);

        queue.Enqueue(new DeployRequest(1, 10));
        await WaitUntilAsync(() => runner.Started.Contains(10));
        runner.Release(10);
        await WaitUntilAsync(() => runner.Completed.Contains(10));
        queue.Enqueue(new DeployRequest(1, 11));
        queue.Enqueue(new DeployRequest(2, 20));

        await WaitUntilAsync(() => runner.Started.Count == 3);
        Assert.Equal(2, runner.Started.Count(id => id is 10 or 11));
        runner.Release(11);
        runner.Release(20);
        await WaitUntilAsync(() => runner.Completed.Count == 3);
        await queue.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Cancel_Running_CancelsWithoutSuperseding()
    {
        var runner = new GatedRunner();
        using var queue = CreateQueue(runner, maxConcurrent: 1);
        await queue.StartAsync(CancellationToken.None);
        queue.Enqueue(new DeployRequest(1, 10));
        await WaitUntilAsync(() => runner.Started.Contains(10));

        Assert.True(queue.Cancel(10));
        await WaitUntilAsync(() => runner.Cancelled.Contains(10));
        Assert.Empty(runner.Superseded);
        Assert.False(queue.Cancel(999));
        await queue.StopAsync(CancellationToken.None);
    }
}
