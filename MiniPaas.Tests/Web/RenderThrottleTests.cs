using Microsoft.Extensions.Time.Testing;
using MiniPaas.Web.Components.Rendering;

namespace MiniPaas.Tests.Web;

public sealed class RenderThrottleTests
{
    private readonly FakeTimeProvider _time = new();
    private int _renders;

    private RenderThrottle CreateThrottle(bool renderAtOnceWhenIdle = false) => new(() =>
    {
        Interlocked.Increment(ref _renders);
        return Task.CompletedTask;
    }, TimeSpan.FromMilliseconds(100), _time, renderAtOnceWhenIdle);

    [Fact]
    public async Task Request_BurstWithinInterval_RendersOnce()
    {
        using var throttle = CreateThrottle();

        for (var i = 0; i < 50; i++)
        {
            throttle.Request();
        }

        Assert.Equal(0, Volatile.Read(ref _renders));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitForRendersAsync(1);
        await Task.Delay(50);
        Assert.Equal(1, Volatile.Read(ref _renders));
    }

    [Fact]
    public async Task Request_AfterRender_SchedulesNextRender()
    {
        using var throttle = CreateThrottle();
        throttle.Request();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitForRendersAsync(1);

        throttle.Request();
        _time.Advance(TimeSpan.FromMilliseconds(100));

        await WaitForRendersAsync(2);
    }

    [Fact]
    public async Task Dispose_WithPendingRequest_NeverRenders()
    {
        var throttle = CreateThrottle();
        throttle.Request();

        throttle.Dispose();
        _time.Advance(TimeSpan.FromSeconds(1));

        await Task.Delay(50);
        Assert.Equal(0, Volatile.Read(ref _renders));
    }

    [Fact]
    public async Task Request_RenderAtOnceWhenIdle_FirstRendersWithoutWaitingThenOncePerInterval()
    {
        using var throttle = CreateThrottle(renderAtOnceWhenIdle: true);
        throttle.Request();
        await WaitForRendersAsync(1);

        for (var i = 0; i < 50; i++)
        {
            throttle.Request();
        }

        await Task.Delay(50);
        Assert.Equal(1, Volatile.Read(ref _renders));
        _time.Advance(TimeSpan.FromMilliseconds(60));
        await Task.Delay(50);
        Assert.Equal(1, Volatile.Read(ref _renders));
        _time.Advance(TimeSpan.FromMilliseconds(40));
        await WaitForRendersAsync(2);
        await Task.Delay(50);
        Assert.Equal(2, Volatile.Read(ref _renders));
    }

    [Fact]
    public async Task Request_RenderAtOnceWhenIdle_AfterAQuietIntervalRendersAtOnce()
    {
        using var throttle = CreateThrottle(renderAtOnceWhenIdle: true);
        throttle.Request();
        await WaitForRendersAsync(1);

        _time.Advance(TimeSpan.FromMilliseconds(150));
        throttle.Request();

        await WaitForRendersAsync(2);
    }

    [Fact]
    public async Task Request_IntervalFunction_ReadBeforeEachWait()
    {
        var interval = TimeSpan.FromMilliseconds(100);
        using var throttle = new RenderThrottle(() =>
        {
            Interlocked.Increment(ref _renders);
            return Task.CompletedTask;
        }, () => interval, _time);
        throttle.Request();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitForRendersAsync(1);

        interval = TimeSpan.FromMilliseconds(400);
        throttle.Request();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        await Task.Delay(50);
        Assert.Equal(1, Volatile.Read(ref _renders));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitForRendersAsync(2);
    }

    private async Task WaitForRendersAsync(int expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (Volatile.Read(ref _renders) < expected)
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
