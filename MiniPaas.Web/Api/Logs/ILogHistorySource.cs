using MiniPaas.Core.Events;

namespace MiniPaas.Web.Api.Logs;

/// <summary>
/// A log the API can page and follow: build logs and runtime logs. Implementations only adapt a Core log store;
/// paging, filtering and the event stream are shared (<see cref="LogQuery"/>, <see cref="LogEventStreamResult"/>).
/// </summary>
public interface ILogHistorySource
{
    /// <summary>Every stored line, ordered by seq.</summary>
    Task<IReadOnlyList<LogItemDto>> ReadAsync(CancellationToken ct);

    /// <summary>History as the first batch, then live lines, with no gap or duplicate (see <see cref="HistoryThenLive"/>).</summary>
    IAsyncEnumerable<FeedBatch<LogItemDto>> WatchAsync(CancellationToken ct);

    /// <summary>
    /// Completes when no more lines will come (a build that finished), with what to send as the stream's closing <c>end</c>
    /// event; a log without an end (a running container) never completes.
    /// </summary>
    Task<object> WaitUntilCompleteAsync(CancellationToken ct);
}
