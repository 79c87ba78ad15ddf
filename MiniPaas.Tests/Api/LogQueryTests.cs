using Microsoft.AspNetCore.Http;
using MiniPaas.Web.Api.Logs;

namespace MiniPaas.Tests.Api;

public sealed class LogQueryTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    internal static LogItemDto Line(long seq, string text = "line", string level = "info") => new(seq, At, level == "error" ? "stderr" : "stdout", level, text);

    [Fact]
    public void Parse_Defaults_AfterZeroDefaultLimitNoFilters()
    {
        var query = LogQuery.Parse(Request(""), out var errors);

        Assert.Empty(errors);
        Assert.Equal(new LogQuery(0, LogQuery.DefaultLimit, null, null), query);
    }

    [Fact]
    public void Parse_LastEventIdHeader_UsedWhenNoAfter()
    {
        var request = Request("");
        request.Headers["Last-Event-ID"] = "42";

        Assert.Equal(42, LogQuery.Parse(request, out _).After);
    }

    [Theory]
    [InlineData("?after=x", "after")]
    [InlineData("?after=-3", "after")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=5001", "limit")]
    [InlineData("?level=verbose", "level")]
    public void Parse_BadParameter_ErrorAtIt(string queryString, string field)
    {
        LogQuery.Parse(Request(queryString), out var errors);

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Page_AfterAndLimit_OrderedBySeqWithNextAfter()
    {
        var history = Enumerable.Range(1, 5).Select(i => Line(i * 10)).ToList();

        var page = new LogQuery(10, 2, null, null).Page(history);

        Assert.Equal([20L, 30L], page.Items.Select(i => i.Seq));
        Assert.True(page.HasMore);
        Assert.Equal(30, page.NextAfter);
        var last = new LogQuery(page.NextAfter, 2, null, null).Page(history);
        Assert.Equal([40L, 50L], last.Items.Select(i => i.Seq));
        Assert.False(last.HasMore);
        Assert.Equal(50, last.NextAfter);
    }

    [Fact]
    public void Page_LevelIsAMinimum_AndTextIgnoresCase()
    {
        List<LogItemDto> history = [Line(1, "Starting", "info"), Line(2, "careful", "warn"), Line(3, "BOOM happened", "error"), Line(4, "boom again", "info")];

        Assert.Equal([2L, 3L], new LogQuery(0, 10, LogQuery.Levels.ToList().IndexOf("warn"), null).Page(history).Items.Select(i => i.Seq));
        Assert.Equal([3L, 4L], new LogQuery(0, 10, null, "boom").Page(history).Items.Select(i => i.Seq));
        // Lines filtered out still advance the mark, so polling with NextAfter does not see them again.
        Assert.Equal(4, new LogQuery(0, 10, null, "starting").Page(history).NextAfter);
    }

    private static HttpRequest Request(string queryString)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(queryString);
        return context.Request;
    }
}
