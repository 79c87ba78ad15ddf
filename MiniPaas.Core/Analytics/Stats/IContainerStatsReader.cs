namespace MiniPaas.Core.Analytics.Stats;

/// <summary>Reads one stats reading of a container from the runtime (the Docker implementation uses one-shot stats).</summary>
public interface IContainerStatsReader
{
    /// <summary>The container's counters now; null when the container no longer exists or is not running.</summary>
    Task<EngineStats?> ReadAsync(string containerId, CancellationToken ct = default);
}
