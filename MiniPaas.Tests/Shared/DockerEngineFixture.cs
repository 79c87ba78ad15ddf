using System.Formats.Tar;
using System.Net;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

#pragma warning disable CA1716 // 'Shared' is the folder name the test layout prescribes; no VB consumer exists.
namespace MiniPaas.Tests.Shared;
#pragma warning restore CA1716

/// <summary>
/// The real Docker engine for integration tests, plus the local base images they need (nothing can be pulled here).
/// Fails with a clear message when the engine is missing; never skips.
/// </summary>
public sealed class DockerEngineFixture : IAsyncLifetime, IDisposable
{
    /// <summary>A static busybox with <c>sh</c> and the usual applets (httpd, nc, sleep, env, cat, echo, wget, …) in /bin.</summary>
    public const string BusyboxImage = "minipaas-test/busybox:latest";

    /// <summary>Node 20 (the host's binary) with npm/npx, busybox sh and the host CA bundle (<c>NODE_EXTRA_CA_CERTS</c>).</summary>
    public const string NodeImage = "minipaas-test/node:20";

    /// <summary>Label put on every image and container tests create, so leftovers can be found.</summary>
    public const string TestLabel = "minipaas.test";


    // Test classes run in parallel and each gets its own fixture instance: one process-wide gate keeps them from importing twice.
    private static readonly SemaphoreSlim ImageGate = new(1, 1);


    public DockerEngineFixture()
    {
        Endpoint = Environment.GetEnvironmentVariable("MiniPaas__Docker__Endpoint") is { Length: > 0 } configured
            ? configured
            : "unix:///var/run/docker.sock";
        Client = new DockerClientConfiguration(new Uri(Endpoint), defaultTimeout: TimeSpan.FromMinutes(10)).CreateClient();
    }

    public string Endpoint { get; }

    public DockerClient Client { get; }

    public async Task InitializeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Client.System.PingAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not DockerApiException)
        {
            throw new InvalidOperationException($"Docker engine not reachable at {Endpoint}; start dockerd (see .ci/run). ({ex.GetBaseException().Message})", ex);
        }

        await EnsureBaseImagesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Client.Dispose();


    /// <summary>A name unique to this run, e.g. for containers and tags (<c>minipaas-test-httpd-1a2b3c4d</c>).</summary>
    public static string UniqueName(string prefix) => $"minipaas-test-{prefix}-{Guid.NewGuid():N}"[..Math.Min(64, 24 + prefix.Length)];

    public async Task<bool> ImageExistsAsync(string image)
    {
        try
        {
            await Client.Images.InspectImageAsync(image);
            return true;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Builds <paramref name="tag"/> from a Dockerfile and extra context files (legacy builder, no pull, host network for RUN steps).
    /// Throws with the build output when the build fails (the engine reports that only in the stream).
    /// </summary>
    public async Task BuildImageAsync(string tag, string dockerfile, IReadOnlyDictionary<string, string>? files = null, CancellationToken ct = default)
    {
        using var context = new MemoryStream();
        await using (var tar = new TarWriter(context, TarEntryFormat.Ustar, leaveOpen: true))
        {
            await AddFileAsync(tar, "Dockerfile", Encoding.UTF8.GetBytes(dockerfile), ct);
            foreach (var (path, content) in files ?? new Dictionary<string, string>())
            {
                await AddFileAsync(tar, path, Encoding.UTF8.GetBytes(content), ct);
            }
        }

        context.Position = 0;
        var progress = new EngineProgress();
        await Client.Images.BuildImageFromDockerfileAsync(
            new ImageBuildParameters
            {
                Tags = [tag],
                Labels = new Dictionary<string, string> { [TestLabel] = "true" },
                NetworkMode = "host",
                Remove = true,
                ForceRemove = true,
            },
            context,
            null,
            null,
            progress,
            ct);
        if (progress.Error is not null || !await ImageExistsAsync(tag))
        {
            throw new InvalidOperationException($"Building test image {tag} failed: {progress.Error}\n{progress.Output}");
        }
    }

    /// <summary>
    /// Removes an image, ignoring one that is already gone. Its untagged parents stay: a build of another test on the same
    /// engine may be using one of them as its parent layer right now.
    /// </summary>
    public async Task RemoveImageQuietlyAsync(string image)
    {
        try
        {
            await Client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true, NoPrune = true });
        }
        catch (DockerApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
        }
    }

    /// <summary>Force-removes a container, ignoring one that is already gone.</summary>
    public async Task RemoveContainerQuietlyAsync(string nameOrId)
    {
        try
        {
            await Client.Containers.RemoveContainerAsync(nameOrId, new ContainerRemoveParameters { Force = true });
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    private async Task EnsureBaseImagesAsync()
    {
        await ImageGate.WaitAsync();
        try
        {
            var images = new LocalBaseImages(Client);
            await images.EnsureBusyboxAsync(BusyboxImage);
            await images.EnsureNodeAsync(NodeImage);
        }
        finally
        {
            ImageGate.Release();
        }
    }

    private static async Task AddFileAsync(TarWriter tar, string path, byte[] content, CancellationToken ct)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, path)
        {
            Mode = (UnixFileMode)0b110_100_100,
            DataStream = new MemoryStream(content),
        };
        await tar.WriteEntryAsync(entry, ct);
    }
}
