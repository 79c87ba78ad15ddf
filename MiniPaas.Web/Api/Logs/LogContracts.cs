namespace MiniPaas.Web.Api.Logs;

/// <summary>One log line as the API returns it. <see cref="Seq"/> increases monotonically; pages and streams are ordered by it.</summary>
/// <param name="Stream"><c>stdout</c> or <c>stderr</c>.</param>
/// <param name="Level"><c>trace</c>, <c>debug</c>, <c>info</c>, <c>warn</c>, <c>error</c> or <c>fatal</c>.</param>
public sealed record LogItemDto(long Seq, DateTimeOffset Timestamp, string Stream, string Level, string Line);

/// <summary>A page of log lines ordered by seq. Ask for the next page with <c>after=NextAfter</c>.</summary>
public sealed record LogPageDto(IReadOnlyList<LogItemDto> Items, long NextAfter, bool HasMore);
