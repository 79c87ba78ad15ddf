using Docker.DotNet;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Benchmarks;

/// <summary>
/// The local base images the sample apps build on. Nothing can be pulled on the benchmark machine, so they are imported from
/// host binaries by the tests' <see cref="LocalBaseImages"/> recipe (a linked file), under the bench's own names so neither
/// removes the other's.
/// </summary>
public sealed class BaseImages(DockerClient docker)
{
    /// <summary>A static busybox with <c>sh</c>, <c>httpd</c> and friends in /bin.</summary>
    public const string Busybox = "minipaas-bench/busybox:latest";

    /// <summary>The host's node binary and npm, with busybox <c>sh</c> and the host CA bundle.</summary>
    public const string Node = "minipaas-bench/node:20";

    /// <summary>Imports the images that are missing; <paramref name="withNode"/> false skips the node image.</summary>
    public async Task EnsureAsync(bool withNode, CancellationToken ct)
    {
        var images = new LocalBaseImages(docker);
        await images.EnsureBusyboxAsync(Busybox, ct);
        if (withNode)
        {
            await images.EnsureNodeAsync(Node, ct);
        }
    }
}
