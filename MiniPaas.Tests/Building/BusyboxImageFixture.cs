using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace MiniPaas.Tests.Building;

/// <summary>
/// Makes sure the local image <c>minipaas-test/busybox:latest</c> exists (the host's static busybox plus a <c>/bin/sh</c> link),
/// importing it when missing. Nothing is pulled: no registry is reachable here. Fails loudly when the engine is not reachable.
/// </summary>
public sealed class BusyboxImageFixture : IAsyncLifetime
{
    public const string Image = "minipaas-test/busybox:latest";
    public const string Endpoint = "unix:///var/run/docker.sock";

    public DockerClient Client { get; } = new DockerClientConfiguration(new Uri(Endpoint)).CreateClient();

    public async Task InitializeAsync()
    {
        try
        {
            await Client.System.PingAsync();
        }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or TimeoutException)
        {
            throw new InvalidOperationException($"These tests need the Docker engine at {Endpoint}, which is not reachable: {e.Message}", e);
        }

        try
        {
            await Client.Images.InspectImageAsync(Image);
            return; // Another test class (or helper) imported it already; same content is fine.
        }
        catch (DockerImageNotFoundException)
        {
        }

        const string busybox = "/bin/busybox";
        if (!File.Exists(busybox))
        {
            throw new InvalidOperationException($"These tests need a static busybox at {busybox} to make the test base image.");
        }

        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0b111_101_101 });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "tmp/") { Mode = (UnixFileMode)0b1_111_111_111 });
            var binary = new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox")
            {
                Mode = (UnixFileMode)0b111_101_101,
                DataStream = File.OpenRead(busybox),
            };
            writer.WriteEntry(binary);
            await binary.DataStream.DisposeAsync();
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox", Mode = (UnixFileMode)0b111_111_111 });
        }

        tar.Position = 0;
        var messages = new List<JSONMessage>();
        await Client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromSrc = "-", Repo = "minipaas-test/busybox", Tag = "latest" },
            tar,
            null,
            new Dictionary<string, string>(),
            new MiniPaas.Core.Building.SynchronousProgress<JSONMessage>(messages.Add));
        var error = messages.FirstOrDefault(m => m.Error is not null || !string.IsNullOrEmpty(m.ErrorMessage));
        if (error is not null)
        {
            throw new InvalidOperationException($"Importing {Image} failed: {error.Error?.Message ?? error.ErrorMessage}");
        }
    }

    public Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }
}
