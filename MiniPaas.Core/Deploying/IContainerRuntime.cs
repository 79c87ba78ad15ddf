namespace MiniPaas.Core.Deploying;

/// <summary>What to run: one deployment's container.</summary>
public sealed record ContainerSpec(
    string Name,
    string Image,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> Labels,
    int Port,
    double? Cpus,
    long? MemoryMiB);

/// <summary>A container the runtime knows, as MiniPaas sees it.</summary>
public sealed record ContainerInfo(
    string Id,
    string Name,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    bool IsRunning,
    int? ExitCode,
    int RestartCount,
    string? Upstream);

/// <summary>Runs deployment containers; Docker first, Kubernetes could follow without touching callers.</summary>
public interface IContainerRuntime
{
    /// <summary>Creates and starts the container; returns it with the upstream address the ingress must use.</summary>
    Task<ContainerInfo> StartAsync(ContainerSpec spec, CancellationToken ct = default);

    Task StopAsync(string containerId, CancellationToken ct = default);

    Task RestartAsync(string containerId, CancellationToken ct = default);

    Task RemoveAsync(string containerId, CancellationToken ct = default);

    /// <summary>Containers carrying the <c>minipaas.project</c> label.</summary>
    Task<IReadOnlyList<ContainerInfo>> ListManagedAsync(CancellationToken ct = default);

    Task<ContainerInfo?> InspectAsync(string containerId, CancellationToken ct = default);

    /// <summary>The last <paramref name="lines"/> lines the container wrote (for failure reasons).</summary>
    Task<IReadOnlyList<string>> TailLogsAsync(string containerId, int lines, CancellationToken ct = default);

    Task<bool> ImageExistsAsync(string image, CancellationToken ct = default);

    Task RemoveImageAsync(string image, CancellationToken ct = default);
}
