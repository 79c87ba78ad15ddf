using Microsoft.Extensions.Time.Testing;
using MiniPaas.Web.Components.Rendering;

namespace MiniPaas.Tests.Web;

public sealed class RenderThrottleTests
{
    private readonly FakeTimeProvider _time = new();
    private int _renders;

    private RenderThrottle CreateThrottle() => new(() =>
    {
        Interlocked.Increment(ref _renders);
        return Task.CompletedTask;
    }, TimeSpan.FromMilliseconds(100), _time);

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

    private async Task WaitForRendersAsync(int expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (Volatile.Read(ref _renders) < expected)
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
