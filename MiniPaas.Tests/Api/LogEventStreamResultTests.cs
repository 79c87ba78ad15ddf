using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Events;
using MiniPaas.Web.Api.Logs;

namespace MiniPaas.Tests.Api;

/// <summary>The shared event-stream writer: history then live without gap or duplicate, catch-up after drops, the closing end event.</summary>
public sealed class LogEventStreamResultTests
{
    [Fact]
    public async Task Stream_HistoryLiveDuplicatesAndDrops_EachLineOnceInSeqOrder_ThenEnd()
    {
        var source = new FakeSource();
        source.History.AddRange([LogQueryTests.Line(1), LogQueryTests.Line(2)]);
        var (context, body) = NewContext("");
        var run = new LogEventStreamResult(source, new LogQuery(0, 10, null, null)).ExecuteAsync(context);

        source.Live.Writer.TryWrite(new FeedBatch<LogItemDto>([LogQueryTests.Line(1), LogQueryTests.Line(2)], 0));
        await source.Live.Writer.WriteAsync(new FeedBatch<LogItemDto>([LogQueryTests.Line(2), LogQueryTests.Line(3)], 0));
        // A slow reader lost line 4; the writer fetches the history again rather than skipping it.
        source.History.AddRange([LogQueryTests.Line(3), LogQueryTests.Line(4), LogQueryTests.Line(5)]);
        await source.Live.Writer.WriteAsync(new FeedBatch<LogItemDto>([LogQueryTests.Line(5)], dropped: 1));
        // Line 6 reached the history but not yet the live feed when the source completed.
        source.History.Add(LogQueryTests.Line(6));
        source.Complete.SetResult(new { status = "running" });
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        var text = Encoding.UTF8.GetString(body.ToArray());
        Assert.Equal("text/event-stream", context.Response.ContentType);
        Assert.Equal(["1", "2", "3", "4", "5", "6"], Ids(text));
        Assert.EndsWith("event: end\ndata: {\"status\":\"running\"}\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_AfterAndFilters_SkipsOlderAndNonMatchingLines()
    {
        var source = new FakeSource();
        source.History.AddRange([LogQueryTests.Line(1, "boom", "error"), LogQueryTests.Line(2, "fine"), LogQueryTests.Line(3, "boom again", "error"), LogQueryTests.Line(4, "BOOM", "info")]);
        source.Complete.SetResult(new { status = "failed" });
        var (context, body) = NewContext("");

        await new LogEventStreamResult(source, new LogQuery(1, 10, LogQuery.Levels.ToList().IndexOf("error"), "boom")).ExecuteAsync(context)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["3"], Ids(Encoding.UTF8.GetString(body.ToArray())));
    }

    private static string[] Ids(string text) =>
        [.. text.Split('\n').Where(l => l.StartsWith("id: ", StringComparison.Ordinal)).Select(l => l["id: ".Length..])];

    private static (HttpContext Context, MemoryStream Body) NewContext(string query)
    {
        var services = new ServiceCollection().AddSingleton(TimeProvider.System).AddOptions<JsonOptions>().Services.BuildServiceProvider();
        var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = body;
        return (context, body);
    }

    private sealed class FakeSource : ILogHistorySource
    {
        public List<LogItemDto> History { get; } = [];

        public Channel<FeedBatch<LogItemDto>> Live { get; } = Channel.CreateUnbounded<FeedBatch<LogItemDto>>();

        public TaskCompletionSource<object> Complete { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<IReadOnlyList<LogItemDto>> ReadAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<LogItemDto>>([.. History]);

        public async IAsyncEnumerable<FeedBatch<LogItemDto>> WatchAsync([EnumeratorCancellation] CancellationToken ct)
        {
            yield return new FeedBatch<LogItemDto>([.. History], 0);
            await foreach (var batch in Live.Reader.ReadAllAsync(ct))
            {
                yield return batch;
            }
        }

        public Task<object> WaitUntilCompleteAsync(CancellationToken ct) => Complete.Task.WaitAsync(ct);
    }
}
