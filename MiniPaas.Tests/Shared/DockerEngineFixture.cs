using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using System.Net.Sockets;
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

    private const string CaBundle = "/etc/ssl/certs/ca-certificates.crt";

    // Test classes run in parallel and each gets its own fixture instance: one process-wide gate keeps them from importing twice.
    private static readonly SemaphoreSlim ImageGate = new(1, 1);

    private static readonly string[] Applets =
    [
        "sh", "ash", "httpd", "nc", "sleep", "env", "cat", "echo", "ls", "mkdir", "rm", "cp", "mv", "ln", "printf", "wget",
        "grep", "sed", "awk", "head", "tail", "true", "false", "test", "[", "id", "ps", "kill", "touch", "chmod", "pwd", "which",
    ];

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

    /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

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
        var progress = new OutputCollector();
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

    /// <summary>Removes an image, ignoring one that is already gone.</summary>
    public async Task RemoveImageQuietlyAsync(string image)
    {
        try
        {
            await Client.Images.DeleteImageAsync(image, new ImageDeleteParameters { Force = true });
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
            if (!await ImageExistsAsync(BusyboxImage))
            {
                await ImportAsync(BusyboxImage, WriteBusyboxAsync, []);
            }

            if (!await ImageExistsAsync(NodeImage))
            {
                await ImportAsync(
                    NodeImage,
                    WriteNodeAsync,
                    ["ENV PATH=/usr/local/bin:/usr/bin:/bin", $"ENV NODE_EXTRA_CA_CERTS={CaBundle}", "ENV HOME=/root"]);
            }
        }
        finally
        {
            ImageGate.Release();
        }
    }

    private async Task ImportAsync(string image, Func<TarWriter, Task> write, IList<string> changes)
    {
        var tarPath = Path.Combine(Path.GetTempPath(), $"minipaas-test-rootfs-{Guid.NewGuid():N}.tar");
        try
        {
            await using (var file = File.Create(tarPath))
            await using (var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false))
            {
                await write(tar);
            }

            var colon = image.LastIndexOf(':');
            var progress = new OutputCollector();
            await using var source = File.OpenRead(tarPath);
            await Client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromSrc = "-", Repo = image[..colon], Tag = image[(colon + 1)..], Changes = changes },
                source,
                null,
                progress);
            if (progress.Error is not null || !await ImageExistsAsync(image))
            {
                throw new InvalidOperationException($"Importing test image {image} failed: {progress.Error}\n{progress.Output}");
            }
        }
        finally
        {
            File.Delete(tarPath);
        }
    }

    private static async Task WriteBusyboxAsync(TarWriter tar)
    {
        await AddDirectoriesAsync(tar, "bin", "usr", "usr/bin", "etc", "root", "www");
        await AddTmpAsync(tar);
        await AddBusyboxAsync(tar);
    }

    private static async Task WriteNodeAsync(TarWriter tar)
    {
        await AddDirectoriesAsync(tar, "bin", "usr", "usr/bin", "usr/lib", "usr/lib/node_modules", "usr/local", "usr/local/bin", "etc", "etc/ssl", "etc/ssl/certs", "root", "app");
        await AddTmpAsync(tar);
        await AddBusyboxAsync(tar);

        var node = ResolveOnPath("node");
        await AddHostFileAsync(tar, node, "usr/bin/node");

        var written = new HashSet<string>(["bin", "usr", "usr/bin", "usr/lib", "etc", "root"], StringComparer.Ordinal);
        foreach (var library in await ListLibrariesAsync(node))
        {
            var inImage = library.TrimStart('/');
            var parts = inImage.Split('/');
            for (var i = 1; i < parts.Length; i++)
            {
                // Parents before children, each once.
                var parent = string.Join('/', parts[..i]);
                if (written.Add(parent))
                {
                    await AddDirectoriesAsync(tar, parent);
                }
            }

            if (written.Add(inImage))
            {
                await AddHostFileAsync(tar, library, inImage);
            }
        }

        const string npmRoot = "/usr/lib/node_modules/npm";
        if (!Directory.Exists(npmRoot))
        {
            throw new InvalidOperationException($"{npmRoot} is missing on this host: the test node image needs the host's npm (apt-get install npm or nodejs from nodesource)");
        }

        await AddTreeAsync(tar, npmRoot, "usr/lib/node_modules/npm");
        await AddSymlinkAsync(tar, "usr/local/bin/npm", "/usr/lib/node_modules/npm/bin/npm-cli.js");
        await AddSymlinkAsync(tar, "usr/local/bin/npx", "/usr/lib/node_modules/npm/bin/npx-cli.js");
        await AddSymlinkAsync(tar, "usr/bin/npm", "/usr/lib/node_modules/npm/bin/npm-cli.js");
        await AddSymlinkAsync(tar, "usr/bin/npx", "/usr/lib/node_modules/npm/bin/npx-cli.js");
        if (File.Exists(CaBundle))
        {
            await AddHostFileAsync(tar, CaBundle, CaBundle.TrimStart('/'));
        }
    }

    private static async Task AddBusyboxAsync(TarWriter tar)
    {
        const string busybox = "/bin/busybox";
        if (!File.Exists(busybox))
        {
            throw new InvalidOperationException("/bin/busybox is missing: install Debian's busybox-static (see .ci/run)");
        }

        await AddHostFileAsync(tar, busybox, "bin/busybox");
        foreach (var applet in Applets)
        {
            await AddSymlinkAsync(tar, $"bin/{applet}", "busybox");
        }

        await AddSymlinkAsync(tar, "usr/bin/env", "/bin/busybox");
    }

    private static async Task<IReadOnlyList<string>> ListLibrariesAsync(string binary)
    {
        var start = new ProcessStartInfo("ldd") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(binary);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run ldd");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        // Lines look like "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)".
        var libraries = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var path = line.Contains("=>", StringComparison.Ordinal) ? line[(line.IndexOf("=>", StringComparison.Ordinal) + 2)..].Trim() : line;
            path = path.Split(' ')[0];
            if (path.StartsWith('/'))
            {
                libraries.Add(path);
            }
        }

        return libraries;
    }

    private static string ResolveOnPath(string program)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"'{program}' is not on PATH: the test node image is made from the host's node binary");
    }

    private static async Task AddTreeAsync(TarWriter tar, string hostRoot, string imageRoot)
    {
        await AddDirectoriesAsync(tar, imageRoot);
        foreach (var entry in new DirectoryInfo(hostRoot).EnumerateFileSystemInfos())
        {
            var target = $"{imageRoot}/{entry.Name}";
            if (entry.LinkTarget is { } link)
            {
                await AddSymlinkAsync(tar, target, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                await AddTreeAsync(tar, directory.FullName, target);
            }
            else
            {
                await AddHostFileAsync(tar, entry.FullName, target);
            }
        }
    }

    private static async Task AddDirectoriesAsync(TarWriter tar, params string[] paths)
    {
        foreach (var path in paths)
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, path + "/") { Mode = (UnixFileMode)0b111_101_101 });
        }
    }

    private static Task AddTmpAsync(TarWriter tar) =>
        // Sticky and world-writable, like a real /tmp: npm and apps write there.
        tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "tmp/") { Mode = (UnixFileMode)0b1_111_111_111 });

    private static Task AddSymlinkAsync(TarWriter tar, string path, string target) =>
        tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, path) { LinkName = target, Mode = (UnixFileMode)0b111_111_111 });

    private static async Task AddHostFileAsync(TarWriter tar, string hostPath, string imagePath)
    {
        // Follow symlinks (ldd lists libc.so.6, itself a link): the image gets the real bytes under the listed name.
        var real = new FileInfo(hostPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? hostPath;
        await using var content = File.OpenRead(real);
        var entry = new PaxTarEntry(TarEntryType.RegularFile, imagePath)
        {
            Mode = OperatingSystem.IsWindows() ? (UnixFileMode)0b111_101_101 : File.GetUnixFileMode(real),
            DataStream = content,
        };
        await tar.WriteEntryAsync(entry);
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

    /// <summary>Synchronous progress: build output arrives in order, and the error only ever arrives here.</summary>
    private sealed class OutputCollector : IProgress<JSONMessage>
    {
        private readonly StringBuilder _output = new();

        public string? Error { get; private set; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void Report(JSONMessage value)
        {
            lock (_output)
            {
                _output.Append(value.Stream ?? value.Status);
                if (value.Error?.Message is { Length: > 0 } message)
                {
                    Error = message;
                }
                else if (!string.IsNullOrEmpty(value.ErrorMessage))
                {
                    Error = value.ErrorMessage;
                }
            }
        }
    }
}
