using System.Runtime.CompilerServices;
using Docker.DotNet;
using Docker.DotNet.Models;
using MiniPaas.Core.Building;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Deploying.Docker;

namespace MiniPaas.Core.Logs.Docker;

/// <summary>Runtime logs through the Docker engine's log API (multiplexed stdout/stderr, with timestamps, followed).</summary>
internal sealed class DockerContainerLogSource(DockerClientProvider clients) : IContainerLogSource
{
    private DockerClient Client => clients.GetClient();

    public async Task<IReadOnlyList<LoggedContainer>> ListRunningAsync(string instanceId, CancellationToken ct = default)
    {
        var listed = await Client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = false,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Instance}={instanceId}"] = true },
                },
            },
            ct).ConfigureAwait(false);
        var result = new List<LoggedContainer>(listed.Count);
        foreach (var container in listed)
        {
            if (container.Labels is { } labels
                && ContainerLabels.BelongsTo(labels.AsReadOnly(), instanceId)
                && labels.TryGetValue(ContainerLabels.Project, out var project) && long.TryParse(project, System.Globalization.CultureInfo.InvariantCulture, out var projectId)
                && labels.TryGetValue(ContainerLabels.Deployment, out var deployment) && long.TryParse(deployment, System.Globalization.CultureInfo.InvariantCulture, out var deploymentId))
            {
                result.Add(new LoggedContainer(container.ID, projectId, deploymentId));
            }
        }

        return result;
    }

    public async Task<bool> IsAliveAsync(string containerId, CancellationToken ct = default)
    {
        try
        {
            var inspected = await Client.Containers.InspectContainerAsync(containerId, ct).ConfigureAwait(false);
            return inspected.State is { Running: true } or { Restarting: true };
        }
        catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
        {
            return false;
        }
    }

    public async IAsyncEnumerable<RawLogLine> FollowAsync(
        string containerId, EngineTimestamp? since, int maxLineLength, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var stream = await Client.Containers.GetContainerLogsAsync(
            containerId,
            tty: false,
            new ContainerLogsParameters
            {
                ShowStdout = true,
                ShowStderr = true,
                Follow = true,
                Timestamps = true,
                Since = since?.ToSinceParameter(),
            },
            ct).ConfigureAwait(false);

        // Frames hold several or partial lines and the two streams interleave: one splitter per stream.
        var stdout = new TimestampedLineSplitter(isStderr: false, maxLineLength);
        var stderr = new TimestampedLineSplitter(isStderr: true, maxLineLength);
        var buffer = new byte[64 * 1024];
        var completed = new List<RawLogLine>();
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false);
            if (read.EOF)
            {
                break;
            }

            var splitter = read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout;
            splitter.Feed(buffer.AsSpan(0, read.Count), completed);
            foreach (var line in completed)
            {
                yield return line;
            }

            completed.Clear();
        }

        if (stdout.Flush() is { } lastOut)
        {
            yield return lastOut;
        }

        if (stderr.Flush() is { } lastErr)
        {
            yield return lastErr;
        }
    }

    public async Task WatchStartsAsync(string instanceId, Action onStarted, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(onStarted);
        await Client.System.MonitorEventsAsync(
            new ContainerEventsParameters
            {
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["type"] = new Dictionary<string, bool> { ["container"] = true },
                    ["event"] = new Dictionary<string, bool> { ["start"] = true, ["restart"] = true },
                    ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Instance}={instanceId}"] = true },
                },
            },
            new SynchronousProgress<Message>(_ => onStarted()),
            ct).ConfigureAwait(false);
    }
}
