using System.Formats.Tar;
using Docker.DotNet;
using Docker.DotNet.Models;
using MiniPaas.Core.Building;

namespace MiniPaas.Tests.Building;

/// <summary>
/// Makes sure <c>minipaas-test/building-node:latest</c> exists: the host's node binary with the libraries it links, npm,
/// and a static busybox for <c>sh</c> and <c>/usr/bin/env</c>. Imported locally because nothing can be pulled here.
/// </summary>
public sealed class NodeImageFixture : IAsyncLifetime
{
    public const string Image = "minipaas-test/building-node:latest";

    public DockerClient Client { get; } = new DockerClientConfiguration(new Uri(BusyboxImageFixture.Endpoint)).CreateClient();

    public async Task InitializeAsync()
    {
        try
        {
            await Client.Images.InspectImageAsync(Image);
            return;
        }
        catch (DockerImageNotFoundException)
        {
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException)
        {
            throw new InvalidOperationException($"These tests need the Docker engine at {BusyboxImageFixture.Endpoint}: {e.Message}", e);
        }

        var node = Path.GetFullPath("/usr/bin/node");
        node = File.ResolveLinkTarget(node, returnFinalTarget: true)?.FullName ?? node;
        const string npm = "/usr/lib/node_modules/npm";
        if (!File.Exists(node) || !Directory.Exists(npm) || !File.Exists("/bin/busybox"))
        {
            throw new InvalidOperationException("These tests need the host's node (/usr/bin/node), npm (/usr/lib/node_modules/npm) and /bin/busybox.");
        }

        var tarPath = Path.Combine(Path.GetTempPath(), $"minipaas-node-image-{Guid.NewGuid():N}.tar");
        await using var tar = new FileStream(tarPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var dir in new[] { "bin/", "usr/", "usr/bin/", "usr/lib/", "usr/lib/node_modules/", "usr/lib/node_modules/npm/", "lib/", "lib/x86_64-linux-gnu/", "lib64/" })
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = (UnixFileMode)0b111_101_101 });
            }

            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "tmp/") { Mode = (UnixFileMode)0b1_111_111_111 });
            writer.WriteEntry(node, "usr/bin/node");
            writer.WriteEntry("/bin/busybox", "bin/busybox");
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox" });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "usr/bin/env") { LinkName = "/bin/busybox" });
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "usr/bin/npm") { LinkName = "../lib/node_modules/npm/bin/npm-cli.js" });
            foreach (var library in new[] { "libdl.so.2", "libstdc++.so.6", "libm.so.6", "libgcc_s.so.1", "libpthread.so.0", "libc.so.6" })
            {
                var source = Path.Combine("/lib/x86_64-linux-gnu", library);
                writer.WriteEntry(File.ResolveLinkTarget(source, returnFinalTarget: true)?.FullName ?? source, "lib/x86_64-linux-gnu/" + library);
            }

            var loader = "/lib64/ld-linux-x86-64.so.2";
            writer.WriteEntry(File.ResolveLinkTarget(loader, returnFinalTarget: true)?.FullName ?? loader, "lib64/ld-linux-x86-64.so.2");
            foreach (var entry in new DirectoryInfo(npm).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            {
                writer.WriteEntry(entry.FullName, "usr/lib/node_modules/npm/" + Path.GetRelativePath(npm, entry.FullName));
            }
        }

        tar.Position = 0;
        var messages = new List<JSONMessage>();
        await Client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromSrc = "-", Repo = "minipaas-test/building-node", Tag = "latest", Changes = ["ENV PATH=/usr/local/bin:/usr/bin:/bin"] },
            tar, null, new Dictionary<string, string>(), new SynchronousProgress<JSONMessage>(messages.Add));
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
