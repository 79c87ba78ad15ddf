using System.Runtime.CompilerServices;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Logs;

namespace MiniPaas.Web.Components.Logs;

/// <summary>One line as the log viewer shows it (build or runtime).</summary>
public sealed record LogViewLine(long Seq, long DeploymentId, DateTimeOffset Timestamp, string Text, string? Level, bool IsNotice)
{
    /// <summary>The text without colour codes (search, copy, download).</summary>
    public string PlainText { get; } = Ansi.Strip(Text);
}

/// <summary>A deployment the viewer's selector offers.</summary>
public sealed record LogViewDeployment(long Id, string Label);

/// <summary>Lines that arrived together, plus how many this viewer lost on the way because it read too slowly.</summary>
public sealed record LogViewBatch(IReadOnlyList<LogViewLine> Lines, long LostInTransit);

/// <summary>Where a <see cref="LogViewer"/> gets its lines: history then live, searches over stored history, dropped counts.</summary>
public interface ILogViewSource
{
    /// <summary>Used in the download's file name, e.g. <c>runtime</c> or <c>build</c>.</summary>
    string Kind { get; }

    /// <summary>Most stored lines the first batch of <see cref="WatchAsync"/> holds (a full first batch means earlier lines exist).</summary>
    int HistoryLines { get; }

    /// <summary>
    /// Lines a viewer keeps in memory while it follows the end (older ones are read back with <see cref="ReadEarlierAsync"/>);
    /// null when the source cannot read earlier lines, so the viewer keeps all it received.
    /// </summary>
    int? FollowWindow { get; }

    /// <summary>Stored history of the deployment as the first batch, then live lines, without gap or duplicate.</summary>
    IAsyncEnumerable<LogViewBatch> WatchAsync(long deploymentId, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> stored lines of the deployment before <paramref name="beforeSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<LogViewLine>> ReadEarlierAsync(long deploymentId, long beforeSeq, int limit, CancellationToken ct);

    /// <summary>Stored lines containing <paramref name="text"/> (ANSI ignored) at or above <paramref name="minLevel"/>, across every deployment this source covers.</summary>
    Task<IReadOnlyList<LogViewLine>> SearchAsync(long deploymentId, string text, string? minLevel, CancellationToken ct);

    /// <summary>Lines of the deployment left out on purpose (rate limit, full buffer), as recorded.</summary>
    Task<long> DroppedAsync(long deploymentId, CancellationToken ct);
}

/// <summary>A project's runtime logs; searches span all of the project's deployments.</summary>
public sealed class RuntimeLogViewSource(RuntimeLogQuery query, long projectId) : ILogViewSource
{
    private const int SearchLimit = 2_000;

    public string Kind => "runtime";

    // A screenful of context many times over; every open viewer holds these lines, so this is most of a logs tab's memory.
    public int HistoryLines => 1_000;

    public int? FollowWindow => 2_000;

    public async IAsyncEnumerable<LogViewBatch> WatchAsync(long deploymentId, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var batch in query.WatchAsync(deploymentId, HistoryLines, ct).ConfigureAwait(false))
        {
            yield return new LogViewBatch([.. batch.Items.Select(ToView)], batch.Dropped);
        }
    }

    public async Task<IReadOnlyList<LogViewLine>> ReadEarlierAsync(long deploymentId, long beforeSeq, int limit, CancellationToken ct) =>
        [.. (await query.ReadAsync(new RuntimeLogFilter(DeploymentId: deploymentId, BeforeSeq: beforeSeq, Limit: limit, Newest: true), ct)).Select(ToView)];

    public async Task<IReadOnlyList<LogViewLine>> SearchAsync(long deploymentId, string text, string? minLevel, CancellationToken ct) =>
        [.. (await query.ReadAsync(new RuntimeLogFilter(ProjectId: projectId, Text: text, MinLevel: minLevel, Limit: SearchLimit, Newest: true), ct)).Select(ToView)];

    public Task<long> DroppedAsync(long deploymentId, CancellationToken ct) => query.DroppedAsync(deploymentId, ct);

    private static LogViewLine ToView(RuntimeLogLine line) =>
        new(line.Seq, line.DeploymentId, line.Timestamp, line.Text, line.Level, line.Stream == RuntimeLogLine.NoticeStream);
}

/// <summary>A deployment's build log (clone, build, start output).</summary>
public sealed class BuildLogViewSource(BuildLogRecorder recorder) : ILogViewSource
{
    public string Kind => "build";

    public int HistoryLines => int.MaxValue;

    public int? FollowWindow => null;

    public async IAsyncEnumerable<LogViewBatch> WatchAsync(long deploymentId, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var batch in recorder.WatchAsync(deploymentId, ct).ConfigureAwait(false))
        {
            yield return new LogViewBatch([.. batch.Items.Select(ToView)], batch.Dropped);
        }
    }

    // The whole build log is loaded at once (builds write thousands of lines, not millions).
    public Task<IReadOnlyList<LogViewLine>> ReadEarlierAsync(long deploymentId, long beforeSeq, int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<LogViewLine>>([]);

    public async Task<IReadOnlyList<LogViewLine>> SearchAsync(long deploymentId, string text, string? minLevel, CancellationToken ct)
    {
        var rank = LogLevels.Rank(LogLevels.Normalize(minLevel) ?? LogLevels.Trace);
        return [.. (await recorder.ReadAsync(deploymentId, ct)).Select(ToView)
            .Where(l => LogLevels.Rank(l.Level) >= rank && l.PlainText.Contains(text, StringComparison.OrdinalIgnoreCase))];
    }

    public Task<long> DroppedAsync(long deploymentId, CancellationToken ct) => Task.FromResult(recorder.Overflowed);

    private static LogViewLine ToView(BuildLogLine line) =>
        new(line.Seq, line.DeploymentId, line.Timestamp, line.Text, line.IsError ? LogLevels.Error : null, IsNotice: false);
}
