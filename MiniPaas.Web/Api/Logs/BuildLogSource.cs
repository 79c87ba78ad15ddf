using System.Runtime.CompilerServices;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Events;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Projects;
using MiniPaas.Web.Api.Endpoints;

namespace MiniPaas.Web.Api.Logs;

/// <summary>A deployment's build log (clone, build and start output) for the API; complete once the deployment left its build stages.</summary>
public sealed class BuildLogSource(
    DeploymentView deployment,
    BuildLogRecorder recorder,
    DeploymentStatusFeed statusFeed,
    ProjectService projects) : ILogHistorySource
{
    public async Task<IReadOnlyList<LogItemDto>> ReadAsync(CancellationToken ct) =>
        [.. (await recorder.ReadAsync(deployment.Id, ct).ConfigureAwait(false)).Select(ToItem)];

    public async IAsyncEnumerable<FeedBatch<LogItemDto>> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var batch in recorder.WatchAsync(deployment.Id, ct).ConfigureAwait(false))
        {
            yield return new FeedBatch<LogItemDto>([.. batch.Items.Select(ToItem)], batch.Dropped);
        }
    }

    public async Task<object> WaitUntilCompleteAsync(CancellationToken ct)
    {
        // Subscribe before reading the status, so a change in between is not missed.
        using var subscription = statusFeed.Subscribe(deployment.ProjectId);
        var current = await projects.GetDeploymentAsync(deployment.Id, ct).ConfigureAwait(false);
        if (current is not null && DeploymentStatusWriter.IsInProgress(current.Status))
        {
            await WaitForStatusChangeAsync(subscription, ct).ConfigureAwait(false);
        }

        return await DeploymentLookup.FindAsync(projects, deployment.Id, ct).ConfigureAwait(false) ?? DeploymentLookup.ToDto(deployment, liveUrl: null);
    }

    private async Task WaitForStatusChangeAsync(FeedSubscription<DeploymentStatusChanged> subscription, CancellationToken ct)
    {
        await foreach (var batch in subscription.ReadBatchesAsync(ct).ConfigureAwait(false))
        {
            if (batch.Any(change => change.DeploymentId == deployment.Id && !DeploymentStatusWriter.IsInProgress(change.Status)))
            {
                return;
            }
        }

        ct.ThrowIfCancellationRequested();
    }

    private static LogItemDto ToItem(BuildLogLine line) =>
        new(line.Seq, line.Timestamp, line.IsError ? "stderr" : "stdout", line.IsError ? "error" : "info", line.Text);
}
