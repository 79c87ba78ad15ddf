namespace MiniPaas.Core.Deploying;

/// <summary>A reading of the container engine's reachability.</summary>
public sealed record EngineStatus(bool IsConnected, string Endpoint, string? Version, string? ApiVersion, string? Error, DateTimeOffset CheckedAt);

/// <summary>Live state of the container engine connection (probed periodically; reconnects by itself).</summary>
public interface IEngineStatus
{
    EngineStatus Current { get; }

    /// <summary>Yields the current status, then every change, until cancelled.</summary>
    IAsyncEnumerable<EngineStatus> WatchAsync(CancellationToken ct = default);
}
