using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MiniPaas.Web.Api.Logs;

/// <summary>
/// Writes any <see cref="ILogHistorySource"/> as <c>text/event-stream</c>: history after <c>after</c>, then live lines, each
/// as <c>event: log</c> with <c>id: &lt;seq&gt;</c> (so a reconnecting EventSource resumes by itself), a comment every
/// 15 s to keep proxies from closing an idle stream, and a closing <c>event: end</c> when the source completes.
/// </summary>
public sealed class LogEventStreamResult(ILogHistorySource source, LogQuery query) : IResult
{
    public const string ContentType = "text/event-stream";

    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var json = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var time = httpContext.RequestServices.GetRequiredService<TimeProvider>();
        var response = httpContext.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);

        var writer = new Writer(response, query, json);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted);
        try
        {
            await PumpAsync(writer, time, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private async Task PumpAsync(Writer writer, TimeProvider time, CancellationTokenSource stop)
    {
        var ct = stop.Token;
        var completion = source.WaitUntilCompleteAsync(ct);
        var batches = source.WatchAsync(ct).GetAsyncEnumerator(ct);
        Task<bool>? next = null;
        try
        {
            while (true)
            {
                next ??= batches.MoveNextAsync().AsTask();
                using var keepAlive = new CancellationTokenSource();
                var tick = Task.Delay(KeepAliveInterval, time, keepAlive.Token);
                var first = await Task.WhenAny(next, completion, tick).ConfigureAwait(false);
                await keepAlive.CancelAsync().ConfigureAwait(false);
                if (first == next)
                {
                    if (!await next.ConfigureAwait(false))
                    {
                        return;
                    }

                    next = null;
                    var batch = batches.Current;
                    // A slow reader lost lines from its live buffer; they are in the history, so fetch them again.
                    var items = batch.Dropped > 0 ? await source.ReadAsync(ct).ConfigureAwait(false) : batch.Items;
                    await writer.WriteLinesAsync(items, ct).ConfigureAwait(false);
                }
                else if (first == completion)
                {
                    var end = await completion.ConfigureAwait(false);
                    // Lines written just before the source completed may still be on their way through the feed: the history has them.
                    await writer.WriteLinesAsync(await source.ReadAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                    await writer.WriteEventAsync("end", end, ct).ConfigureAwait(false);
                    return;
                }
                else
                {
                    await writer.WriteCommentAsync("keep-alive", ct).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // An async iterator cannot be disposed while a MoveNextAsync is pending: cancel it and let it finish first.
            await stop.CancelAsync().ConfigureAwait(false);
            if (next is not null)
            {
                try
                {
                    await next.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Expected: cancelled above.
                }
            }

            await batches.DisposeAsync().ConfigureAwait(false);
            try
            {
                await completion.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected: cancelled above.
            }
        }
    }

    private sealed class Writer(HttpResponse response, LogQuery query, JsonSerializerOptions json)
    {
        private long _lastSeq = query.After;

        public async Task WriteLinesAsync(IEnumerable<LogItemDto> items, CancellationToken ct)
        {
            var text = new StringBuilder();
            foreach (var item in items)
            {
                // Seq de-duplicates history, live lines and catch-up reads; filtered-out lines still move the mark.
                if (item.Seq <= _lastSeq)
                {
                    continue;
                }

                _lastSeq = item.Seq;
                if (query.Matches(item))
                {
                    text.Append("id: ").Append(item.Seq.ToString(CultureInfo.InvariantCulture)).Append('\n')
                        .Append("event: log\n")
                        .Append("data: ").Append(JsonSerializer.Serialize(item, json)).Append("\n\n");
                }
            }

            if (text.Length > 0)
            {
                await response.WriteAsync(text.ToString(), ct).ConfigureAwait(false);
                await response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
        }

        public async Task WriteEventAsync(string name, object data, CancellationToken ct)
        {
            await response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, data.GetType(), json)}\n\n", ct).ConfigureAwait(false);
            await response.Body.FlushAsync(ct).ConfigureAwait(false);
        }

        public async Task WriteCommentAsync(string comment, CancellationToken ct)
        {
            await response.WriteAsync($": {comment}\n\n", ct).ConfigureAwait(false);
            await response.Body.FlushAsync(ct).ConfigureAwait(false);
        }
    }
}
