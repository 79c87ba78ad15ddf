using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Analytics.Stats;

/// <summary>
/// Every <see cref="ContainerStatsOptions.Interval"/>, reads one-shot stats of each running container of this installation,
/// stores the samples and publishes them on <see cref="ContainerStatsFeed"/>. CPU % compares each reading with the previous
/// one of the same container, so one cheap call per container and tick is enough.
/// </summary>
public sealed partial class ContainerStatsSampler(
    IContainerRuntime runtime,
    IContainerStatsReader reader,
    ContainerStatsStore store,
    ContainerStatsFeed feed,
    Installation installation,
    IOptions<ContainerStatsOptions> options,
    TimeProvider timeProvider,
    ILogger<ContainerStatsSampler> logger) : BackgroundService
{
    private readonly Dictionary<string, CpuCounters> _previous = new(StringComparer.Ordinal);
    private DateTimeOffset _nextRetention = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        // The installation id (our container label) is known once the database is up.
        var instanceId = await installation.IdAsync.WaitAsync(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(settings.Interval, timeProvider);
        do
        {
            try
            {
                await SampleOnceAsync(instanceId, stoppingToken).ConfigureAwait(false);
                await ApplyRetentionIfDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One failed tick (engine or database away) must not end sampling.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogTickFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Samples every running container of installation <paramref name="instanceId"/> once; returns the stored samples.</summary>
    internal async Task<IReadOnlyList<ContainerStatsSample>> SampleOnceAsync(string instanceId, CancellationToken ct)
    {
        var containers = (await runtime.ListManagedAsync(ct).ConfigureAwait(false))
            .Where(c => c.IsRunning && ContainerLabels.BelongsTo(c.Labels, instanceId))
            .Select(c => (Container: c, ProjectId: LabelId(c, ContainerLabels.Project), DeploymentId: LabelId(c, ContainerLabels.Deployment)))
            .Where(c => c.ProjectId is not null)
            .ToList();

        var readings = await Task.WhenAll(containers.Select(async c => (c.Container, c.ProjectId, c.DeploymentId, Stats: await TryReadAsync(c.Container.Id, ct).ConfigureAwait(false))))
            .ConfigureAwait(false);

        var now = timeProvider.GetUtcNow();
        var toStore = new List<StatsReading>(readings.Length);
        foreach (var (container, projectId, deploymentId, stats) in readings)
        {
            if (stats is null)
            {
                continue;
            }

            var usage = ResourceUsageCalculator.Compute(stats, _previous.TryGetValue(container.Id, out var baseline) ? baseline : null);
            _previous[container.Id] = stats.Cpu;
            toStore.Add(new StatsReading(projectId!.Value, deploymentId, container.Id, now, usage));
        }

        // Forget baselines of containers that are gone, so the dictionary does not grow with every deployment.
        var live = readings.Where(r => r.Stats is not null).Select(r => r.Container.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _previous.Keys.Where(id => !live.Contains(id)).ToList())
        {
            _previous.Remove(gone);
        }

        IReadOnlyList<ContainerStatsSample> samples;
        try
        {
            samples = await store.AddAsync(toStore, ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (ex.GetBaseException() is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.ForeignKeyViolation })
        {
            // A project or deployment was deleted between listing its container and storing: skip this tick's samples.
            LogProjectVanished(ex.GetBaseException().Message);
            return [];
        }

        foreach (var sample in samples)
        {
            feed.Publish(sample.ProjectId, sample);
        }

        return samples;
    }

    private async Task<EngineStats?> TryReadAsync(string containerId, CancellationToken ct)
    {
        try
        {
            return await reader.ReadAsync(containerId, ct).ConfigureAwait(false);
        }
        catch (ContainerRuntimeException ex)
        {
            LogReadFailed(containerId, ex);
            return null;
        }
    }

    private async Task ApplyRetentionIfDueAsync(CancellationToken ct)
    {
        var now = timeProvider.GetUtcNow();
        if (now < _nextRetention)
        {
            return;
        }

        var settings = options.Value;
        _nextRetention = now + settings.RetentionCheckInterval;
        var deleted = await store.DeleteOlderThanAsync(now - settings.Retention, ct).ConfigureAwait(false);
        if (deleted > 0)
        {
            LogRetention(deleted, settings.Retention);
        }
    }

    private static long? LabelId(ContainerInfo container, string label) =>
        container.Labels.TryGetValue(label, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Container stats sampling failed; trying again next interval")]
    private partial void LogTickFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read stats of container {ContainerId}")]
    private partial void LogReadFailed(string containerId, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stats samples skipped: their project or deployment was just deleted ({Reason})")]
    private partial void LogProjectVanished(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} container stats samples older than {Retention}")]
    private partial void LogRetention(long count, TimeSpan retention);
}
