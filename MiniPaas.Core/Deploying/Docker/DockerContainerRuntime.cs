using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Networking;

namespace MiniPaas.Core.Deploying.Docker;

/// <summary>
/// Runs deployment containers on the Docker engine: unprivileged, limited, labelled, never pulling.
/// In <c>host</c> network mode each container gets a free loopback port through <c>PORT</c>; in <c>bridge</c> mode it joins
/// the user network <see cref="RuntimeOptions.BridgeNetwork"/> and is reached by its address.
/// </summary>
public sealed partial class DockerContainerRuntime(
    DockerClientProvider clients,
    IOptions<RuntimeOptions> runtimeOptions,
    TimeProvider timeProvider,
    ILogger<DockerContainerRuntime> logger,
    IIngressContainerLabels? ingressLabels = null) : IContainerRuntime, IDisposable
{
    /// <summary>Seconds the engine waits after SIGTERM before SIGKILL; apps get <c>--init</c> so signals reach them.</summary>
    internal const int StopTimeoutSeconds = 5;

    private readonly SemaphoreSlim _networkGate = new(1, 1);

    private DockerClient Client => clients.GetClient();

    public async Task<ContainerInfo> StartAsync(ContainerSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var options = runtimeOptions.Value;

        // The create call itself never pulls, but checking first gives a clear reason instead of "No such image".
        if (!await ImageExistsAsync(spec.Image, ct).ConfigureAwait(false))
        {
            throw new ContainerRuntimeException($"Image '{spec.Image}' is not present on the Docker engine; MiniPaas never pulls — build or load it first")
            {
                IsImageMissing = true,
            };
        }

        int port;
        string networkMode;
        if (options.IsHostNetwork)
        {
            port = LoopbackPort.Free();
            networkMode = "host";
        }
        else
        {
            port = spec.Port > 0 ? spec.Port : options.ContainerPort;
            networkMode = options.BridgeNetwork;
            await EnsureBridgeNetworkAsync(options.BridgeNetwork, ct).ConfigureAwait(false);
        }

        var parameters = ContainerCreation.Parameters(spec, options, networkMode, port, ingressLabels);
        string id;
        try
        {
            var created = await Client.Containers.CreateContainerAsync(parameters, ct).ConfigureAwait(false);
            id = created.ID;
            foreach (var warning in created.Warnings ?? [])
            {
                LogCreateWarning(spec.Name, warning);
            }
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap($"Could not create container '{spec.Name}' from '{spec.Image}'", ex);
        }

        try
        {
            await Client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct).ConfigureAwait(false);
            LogStarted(spec.Name, id, spec.Image);
            return await InspectAsync(id, ct).ConfigureAwait(false)
                ?? throw new ContainerRuntimeException($"Container '{spec.Name}' disappeared right after it started");
        }
        catch (Exception ex) when (IsEngineFailure(ex) || ex is ContainerRuntimeException or OperationCanceledException)
        {
            // The engine refused to start it (unknown user, bad working directory, resources it cannot grant...), or we gave up:
            // do not leave a created container behind, nothing tracks it and its name would block the next attempt.
            await TryRemoveAsync(id).ConfigureAwait(false);
            if (IsEngineFailure(ex))
            {
                throw Wrap($"Could not start container '{spec.Name}'", ex);
            }

            throw;
        }
    }

    public async Task StopAsync(string containerId, CancellationToken ct = default)
    {
        try
        {
            await Client.Containers.StopContainerAsync(containerId, new ContainerStopParameters { WaitBeforeKillSeconds = StopTimeoutSeconds }, ct)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap($"Could not stop container '{containerId}'", ex);
        }
    }

    public async Task RestartAsync(string containerId, CancellationToken ct = default)
    {
        try
        {
            await Client.Containers.RestartContainerAsync(containerId, new ContainerRestartParameters { WaitBeforeKillSeconds = StopTimeoutSeconds }, ct)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap($"Could not restart container '{containerId}'", ex);
        }
    }

    public async Task RemoveAsync(string containerId, CancellationToken ct = default)
    {
        try
        {
            await Client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true }, ct).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
        {
            // Already gone: removal is idempotent.
        }
        catch (DockerApiException ex) when (IsRemovalInProgress(ex))
        {
            // Someone else (a pipeline retiring it, the reconciler) is removing it: the outcome we want; wait for it.
            await WaitUntilGoneAsync(containerId, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap($"Could not remove container '{containerId}'", ex);
        }
    }

    private static bool IsRemovalInProgress(DockerApiException ex) =>
        ex.StatusCode == System.Net.HttpStatusCode.Conflict
        && ex.ResponseBody.Contains("already in progress", StringComparison.OrdinalIgnoreCase);

    private async Task WaitUntilGoneAsync(string containerId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                await Client.Containers.InspectContainerAsync(containerId, ct).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, ct).ConfigureAwait(false);
        }

        throw new ContainerRuntimeException($"Container '{containerId}' was still being removed after 10 s");
    }

    public async Task<IReadOnlyList<ContainerInfo>> ListManagedAsync(CancellationToken ct = default)
    {
        IList<ContainerListResponse> listed;
        try
        {
            listed = await Client.Containers.ListContainersAsync(
                new ContainersListParameters
                {
                    All = true,
                    Filters = new Dictionary<string, IDictionary<string, bool>>
                    {
                        ["label"] = new Dictionary<string, bool> { [ContainerLabels.Project] = true },
                    },
                },
                ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap("Could not list MiniPaas containers", ex);
        }

        // The list lacks env and exit codes; inspecting each gives the same view as InspectAsync. Few containers, so cheap.
        var result = new List<ContainerInfo>(listed.Count);
        foreach (var item in listed)
        {
            var info = await InspectAsync(item.ID, ct).ConfigureAwait(false);
            if (info is not null)
            {
                result.Add(info);
            }
        }

        return result;
    }

    public async Task<ContainerInfo?> InspectAsync(string containerId, CancellationToken ct = default)
    {
        ContainerInspectResponse inspected;
        try
        {
            inspected = await Client.Containers.InspectContainerAsync(containerId, ct).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
        {
            return null;
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap($"Could not inspect container '{containerId}'", ex);
        }

        return ContainerInspection.ToInfo(inspected, runtimeOptions.Value.BridgeNetwork);
    }

    public async Task<IReadOnlyList<string>> TailLogsAsync(string containerId, int lines, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lines);
        if (lines == 0)
        {
            return [];
        }

        try
        {
            using var stream = await Client.Containers.GetContainerLogsAsync(
                containerId,
                tty: false,
                new ContainerLogsParameters
                {
                    ShowStdout = true,
                    ShowStderr = true,
                    Follow = false,
                    Tail = lines.ToString(CultureInfo.InvariantCulture),
                },
                ct).ConfigureAwait(false);
            var collected = await DockerLogLines.ReadAsync(stream, ct).ConfigureAwait(false);
            return collected.Count <= lines ? collected : collected.GetRange(collected.Count - lines, lines);
        }
        catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
        {
            throw new ContainerRuntimeException($"Container '{containerId}' does not exist", ex);
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap($"Could not read logs of container '{containerId}'", ex);
        }
    }

    public async Task<bool> ImageExistsAsync(string image, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        try
        {
            await Client.Images.InspectImageAsync(image, ct).ConfigureAwait(false);
            return true;
        }
        catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
        {
            return false;
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap($"Could not look up image '{image}'", ex);
        }
    }

    public async Task RemoveImageAsync(string image, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        try
        {
            // NoPrune: the untagged parent layers stay. They are the build cache, and pruning them could pull a layer from
            // under another project's build that is using it as its parent at this moment ("unknown parent image ID").
            await Client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = false, NoPrune = true }, ct).ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
        {
            // Already gone.
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap($"Could not remove image '{image}'", ex);
        }
    }

    public void Dispose() => _networkGate.Dispose();

    private async Task EnsureBridgeNetworkAsync(string name, CancellationToken ct)
    {
        await _networkGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            try
            {
                await Client.Networks.InspectNetworkAsync(name, ct).ConfigureAwait(false);
                return;
            }
            catch (DockerApiException ex) when (DockerErrors.IsNotFound(ex))
            {
                // Create it below.
            }

            await Client.Networks.CreateNetworkAsync(
                new NetworksCreateParameters
                {
                    Name = name,
                    Driver = "bridge",
                    CheckDuplicate = true,
                    Labels = new Dictionary<string, string> { [ContainerLabels.Managed] = "true" },
                },
                ct).ConfigureAwait(false);
            LogNetworkCreated(name);
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // Another MiniPaas process created it between our inspect and create.
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            throw Wrap($"Could not create the Docker network '{name}' (set MiniPaas__Runtime__NetworkMode=host where the engine has no bridge)", ex);
        }
        finally
        {
            _networkGate.Release();
        }
    }

    private async Task TryRemoveAsync(string id)
    {
        try
        {
            await Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsEngineFailure(ex))
        {
            LogCleanupFailed(id, ex);
        }
    }

    private static bool IsEngineFailure(Exception ex) => ex is DockerApiException || DockerErrors.IsTransport(ex);

    private ContainerRuntimeException Wrap(string what, Exception ex) => ex switch
    {
        DockerApiException api => new ContainerRuntimeException($"{what}: {DockerErrors.ApiMessage(api)}", ex)
        {
            IsImageMissing = DockerErrors.IsNotFound(api) && DockerErrors.ApiMessage(api).Contains("image", StringComparison.OrdinalIgnoreCase),
        },
        _ => new ContainerRuntimeException($"{what}: {DockerErrors.Unreachable(clients.Endpoint, ex)}", ex),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Started container {Name} ({Id}) from {Image}")]
    private partial void LogStarted(string name, string id, string image);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Docker warned while creating {Name}: {Warning}")]
    private partial void LogCreateWarning(string name, string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Docker network {Network}")]
    private partial void LogNetworkCreated(string network);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove container {Id} after a failed or abandoned start")]
    private partial void LogCleanupFailed(string id, Exception exception);
}
