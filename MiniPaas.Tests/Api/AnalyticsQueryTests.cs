using Microsoft.AspNetCore.Http;
using MiniPaas.Core.Analytics;
using MiniPaas.Web.Api.Analytics;

namespace MiniPaas.Tests.Api;

public sealed class AnalyticsQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 2, 30, 15, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Parse_Nothing_Last24HoursUpToNowAndNoBucket()
    {
        var query = AnalyticsQuery.Parse(Request(""), Now, Minute, out var errors);

        Assert.Empty(errors);
        Assert.Equal(new AnalyticsQuery(new TimeRange(Now.AddHours(-24), Now), null), query);
    }

    [Fact]
    public void Parse_OnlyTo_RangeIsThe24HoursBeforeIt_OffsetsNormalisedToUtc()
    {
        var query = AnalyticsQuery.Parse(Request("to=2026-11-20T12:00:00%2B02:00"), Now, Minute, out var errors);

        Assert.Empty(errors);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), query.Range.To);
        Assert.Equal(TimeSpan.Zero, query.Range.To.Offset);
        Assert.Equal(query.Range.To.AddHours(-24), query.Range.From);
    }

    [Theory]
    [InlineData("PT5M", 5 * 60)]
    [InlineData("P1D", 24 * 3600)]
    [InlineData("PT1H30M", 90 * 60)]
    [InlineData("5m", 5 * 60)]
    [InlineData("2h", 2 * 3600)]
    [InlineData("1d", 24 * 3600)]
    [InlineData("120s", 120)]
    public void Parse_Bucket_IsoAndShortForms(string bucket, int seconds)
    {
        var query = AnalyticsQuery.Parse(Request("bucket=" + bucket), Now, Minute, out var errors);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), query.Bucket);
    }

    [Theory]
    [InlineData("bucket=90s", "bucket")]
    [InlineData("bucket=-5m", "bucket")]
    [InlineData("bucket=5", "bucket")]
    [InlineData("bucket=P40D", "bucket")]
    [InlineData("bucket=1m&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", "bucket")]
    [InlineData("from=2026-11-25", "from")]
    [InlineData("to=not-a-time", "to")]
    [InlineData("from=2026-11-26T03:00:00Z", "from")]
    public void Parse_BadInput_ReportedAtItsField(string text, string field)
    {
        AnalyticsQuery.Parse(Request(text), Now, Minute, out var errors);

        Assert.Equal([field], errors.Keys.ToArray());
    }

    [Fact]
    public void Parse_SecondsUnit_AcceptsSubMinuteBuckets()
    {
        var query = AnalyticsQuery.Parse(Request("bucket=15s&from=2026-11-26T01:00:00Z"), Now, TimeSpan.FromSeconds(1), out var errors);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(15), query.Bucket);
    }

    [Fact]
    public void Format_IsIso8601()
    {
        Assert.Equal("PT5M", AnalyticsQuery.Format(TimeSpan.FromMinutes(5)));
        Assert.Equal("P1D", AnalyticsQuery.Format(TimeSpan.FromDays(1)));
    }

    private static HttpRequest Request(string query) => new DefaultHttpContext { Request = { QueryString = new QueryString("?" + query) } }.Request;
}
