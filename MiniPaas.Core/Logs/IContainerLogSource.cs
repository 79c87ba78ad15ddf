namespace MiniPaas.Core.Logs;

/// <summary>A running container whose output belongs to a deployment.</summary>
public sealed record LoggedContainer(string Id, long ProjectId, long DeploymentId);

/// <summary>One complete line as the engine stored it: its engine timestamp (nanoseconds), stream and raw text.</summary>
public sealed record RawLogLine(EngineTimestamp Timestamp, bool IsStderr, string Text, int CutCharacters = 0);

/// <summary>The engine side of runtime logs: which containers run, and their output from a point in time, followed live.</summary>
public interface IContainerLogSource
{
    /// <summary>Running containers labelled with installation <paramref name="instanceId"/> and a project and deployment.</summary>
    Task<IReadOnlyList<LoggedContainer>> ListRunningAsync(string instanceId, CancellationToken ct = default);

    /// <summary>True while the container exists and runs (or is restarting).</summary>
    Task<bool> IsAliveAsync(string containerId, CancellationToken ct = default);

    /// <summary>
    /// The container's stdout and stderr lines written at or after <paramref name="since"/> (all when null), then live
    /// lines until the container stops (the sequence ends) or the connection breaks (it throws).
    /// </summary>
    IAsyncEnumerable<RawLogLine> FollowAsync(string containerId, EngineTimestamp? since, int maxLineLength, CancellationToken ct = default);

    /// <summary>Calls <paramref name="onStarted"/> whenever a container of <paramref name="instanceId"/> starts; returns when the event stream ends.</summary>
    Task WatchStartsAsync(string instanceId, Action onStarted, CancellationToken ct = default);
}
