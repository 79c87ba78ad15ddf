using System.Runtime.CompilerServices;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Events;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Web.Api.Endpoints;

namespace MiniPaas.Web.Api.Logs;

/// <summary>
/// A deployment's runtime log (what its container wrote, masked) for the API, over <see cref="RuntimeLogQuery"/> and its feed.
/// Pages are filtered in the database; a followed stream ends once the deployment is over (stopped, failed, superseded),
/// never while it runs or may be restarted after a crash.
/// </summary>
public sealed class RuntimeLogSource(
    DeploymentView deployment,
    RuntimeLogQuery logs,
    DeploymentStatusFeed statusFeed,
    ProjectService projects,
    LogQuery query) : ILogHistorySource
{
    /// <summary>The newest lines a stream catches up with (as history, or after a slow reader lost live lines).</summary>
    public const int CatchUpLines = RuntimeLogFilter.MaxLimit;

    /// <summary>One page after <see cref="LogQuery.After"/>, with level and text filtered by the store.</summary>
    public async Task<LogPageDto> PageAsync(CancellationToken ct)
    {
        var lines = await logs.ReadAsync(
            new RuntimeLogFilter(
                DeploymentId: deployment.Id,
                AfterSeq: query.After,
                Limit: query.Limit + 1,
                MinLevel: query.MinLevel is { } level ? LogQuery.Levels[level] : null,
                Text: query.Text),
            ct).ConfigureAwait(false);
        var items = lines.Take(query.Limit).Select(ToItem).ToList();
        return new LogPageDto(items, items.Count > 0 ? items[^1].Seq : query.After, lines.Count > query.Limit);
    }

    public async Task<IReadOnlyList<LogItemDto>> ReadAsync(CancellationToken ct) =>
        [.. (await logs.ReadAsync(new RuntimeLogFilter(DeploymentId: deployment.Id, AfterSeq: query.After, Limit: CatchUpLines, Newest: true), ct)
            .ConfigureAwait(false)).Select(ToItem)];

    public async IAsyncEnumerable<FeedBatch<LogItemDto>> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var batch in logs.WatchAsync(deployment.Id, CatchUpLines, ct).ConfigureAwait(false))
        {
            yield return new FeedBatch<LogItemDto>([.. batch.Items.Select(ToItem)], batch.Dropped);
        }
    }

    public async Task<object> WaitUntilCompleteAsync(CancellationToken ct)
    {
        // Subscribe before reading the status, so a change in between is not missed.
        using var subscription = statusFeed.Subscribe(deployment.ProjectId);
        var current = await projects.GetDeploymentAsync(deployment.Id, ct).ConfigureAwait(false);
        if (current is not null && !IsOver(current.Status))
        {
            await foreach (var batch in subscription.ReadBatchesAsync(ct).ConfigureAwait(false))
            {
                if (batch.Any(change => change.DeploymentId == deployment.Id && IsOver(change.Status)))
                {
                    break;
                }
            }

            ct.ThrowIfCancellationRequested();
        }

        return await DeploymentLookup.FindAsync(projects, deployment.Id, ct).ConfigureAwait(false) ?? DeploymentLookup.ToDto(deployment, liveUrl: null);
    }

    // A crashed container may be started again by the reconciler, so its log is not over yet.
    private static bool IsOver(DeploymentStatus status) => status is DeploymentStatus.Stopped or DeploymentStatus.Failed or DeploymentStatus.Superseded;

    private static LogItemDto ToItem(RuntimeLogLine line) => new(line.Seq, line.Timestamp, line.Stream, line.Level ?? LogLevels.Info, line.Text);
}
