using Microsoft.Extensions.Time.Testing;
using MiniPaas.Core.Analytics;

namespace MiniPaas.Tests.Analytics;

public sealed class VisitorIdsTests
{
    private const string Ip = "203.0.113.9";
    private const string Agent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Compute_SameVisitorSameDay_OneId()
    {
        var ids = new VisitorIds(_time);

        var morning = ids.Compute(Ip, Agent, 1, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromHours(15));
        var evening = ids.Compute(Ip, Agent, 1, _time.GetUtcNow());

        Assert.Equal(morning, evening);
    }

    [Fact]
    public void Compute_NextDay_NewIdAndYesterdaysSaltForgotten()
    {
        var ids = new VisitorIds(_time);
        var today = ids.Compute(Ip, Agent, 1, _time.GetUtcNow());
        Assert.Equal(new DateOnly(2026, 11, 26), ids.SaltDay);

        _time.Advance(TimeSpan.FromDays(1));

        Assert.Null(ids.SaltDay);
        var tomorrow = ids.Compute(Ip, Agent, 1, _time.GetUtcNow());
        Assert.NotEqual(today, tomorrow);
        Assert.Equal(new DateOnly(2026, 11, 27), ids.SaltDay);
    }

    [Fact]
    public void Compute_DifferentProjectsOrAgentsOrAddresses_DifferentIds()
    {
        var ids = new VisitorIds(_time);
        var now = _time.GetUtcNow();

        var all = new[]
        {
            ids.Compute(Ip, Agent, 1, now),
            ids.Compute(Ip, Agent, 2, now),
            ids.Compute("203.0.113.10", Agent, 1, now),
            ids.Compute(Ip, "curl/8.5.0", 1, now),
        };

        Assert.Equal(all.Length, all.Distinct().Count());
    }

    [Fact]
    public void Compute_TwoInstances_DoNotShareSalt()
    {
        // The salt is random per process and day, so an id cannot be recomputed from an IP anywhere else.
        var now = _time.GetUtcNow();
        Assert.NotEqual(new VisitorIds(_time).Compute(Ip, Agent, 1, now), new VisitorIds(_time).Compute(Ip, Agent, 1, now));
    }

    [Fact]
    public void Compute_RequestFromAnEarlierDay_NotLinkedToAnyOtherId()
    {
        var ids = new VisitorIds(_time);
        var yesterday = _time.GetUtcNow().AddDays(-1);

        Assert.NotEqual(ids.Compute(Ip, Agent, 1, yesterday), ids.Compute(Ip, Agent, 1, yesterday));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36", UserAgentClass.Browser)]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", UserAgentClass.Bot)]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36", UserAgentClass.Bot)]
    [InlineData("facebookexternalhit/1.1", UserAgentClass.Bot)]
    [InlineData("curl/8.5.0", UserAgentClass.Other)]
    [InlineData("", UserAgentClass.Other)]
    [InlineData(null, UserAgentClass.Other)]
    public void Classify_UserAgent_ExpectedClass(string? userAgent, UserAgentClass expected) =>
        Assert.Equal(expected, UserAgentClassifier.Classify(userAgent));

    [Theory]
    [InlineData("https://News.Example.com/a?b=c", "news.example.com")]
    [InlineData("http://127.0.0.1:8080/", "127.0.0.1")]
    [InlineData("/relative/path", null)]
    [InlineData("android-app://com.example", null)]
    [InlineData(null, null)]
    public void ReferrerHostOf_Header_HostOnly(string? referrer, string? expected) =>
        Assert.Equal(expected, RequestRow.ReferrerHostOf(referrer));

    [Fact]
    public void BucketOf_Bounds_DurationFallsInBucketWhoseUpperBoundHoldsIt()
    {
        var bounds = LatencyHistogram.UpperBounds;
        foreach (var duration in new[] { 0.0, 0.5, 0.51, 3.3, 250.0, 119_999.0, 1e9 })
        {
            var bucket = LatencyHistogram.BucketOf(duration);
            Assert.True(duration <= bounds[bucket]);
            Assert.True(bucket == 0 || duration > bounds[bucket - 1]);
        }
    }
}
