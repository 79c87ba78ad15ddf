using System.Diagnostics;
using System.Formats.Tar;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace MiniPaas.Tests.Shared;

/// <summary>
/// Base images made on this machine, because nothing can be pulled here: a static busybox (sh, httpd and friends) and a
/// Node image from the host's node binary, its libraries, npm, busybox and the host CA bundle. Used by the tests'
/// <c>DockerEngineFixture</c> and, compiled in as a linked file, by the benchmarks (under their own image names).
/// </summary>
public sealed class LocalBaseImages(IDockerClient docker)
{
    private const string CaBundle = "/etc/ssl/certs/ca-certificates.crt";

    private static readonly string[] Applets =
    [
        "sh", "ash", "httpd", "nc", "sleep", "env", "cat", "echo", "ls", "mkdir", "rm", "cp", "mv", "ln", "printf", "wget",
        "grep", "sed", "awk", "head", "tail", "true", "false", "test", "[", "id", "ps", "kill", "touch", "chmod", "pwd", "which",
    ];

    /// <summary>Imports the busybox image as <paramref name="image"/> unless it exists.</summary>
    public async Task EnsureBusyboxAsync(string image, CancellationToken ct = default)
    {
        if (!await ExistsAsync(image, ct))
        {
            await ImportAsync(image, WriteBusyboxAsync, [], ct);
        }
    }

    /// <summary>Imports the Node image as <paramref name="image"/> unless it exists.</summary>
    public async Task EnsureNodeAsync(string image, CancellationToken ct = default)
    {
        if (!await ExistsAsync(image, ct))
        {
            await ImportAsync(image, WriteNodeAsync, ["ENV PATH=/usr/local/bin:/usr/bin:/bin", $"ENV NODE_EXTRA_CA_CERTS={CaBundle}", "ENV HOME=/root"], ct);
        }
    }

    public async Task<bool> ExistsAsync(string image, CancellationToken ct = default)
    {
        try
        {
            await docker.Images.InspectImageAsync(image, ct);
            return true;
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task ImportAsync(string image, Func<TarWriter, Task> write, IList<string> changes, CancellationToken ct)
    {
        var tarPath = Path.Combine(Path.GetTempPath(), $"minipaas-rootfs-{Guid.NewGuid():N}.tar");
        try
        {
            await using (var file = File.Create(tarPath))
            await using (var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false))
            {
                await write(tar);
            }

            var colon = image.LastIndexOf(':');
            var progress = new EngineProgress();
            await using var source = File.OpenRead(tarPath);
            await docker.Images.CreateImageAsync(
                new ImagesCreateParameters { FromSrc = "-", Repo = image[..colon], Tag = image[(colon + 1)..], Changes = changes },
                source,
                null,
                progress,
                ct);
            if (progress.Error is not null || !await ExistsAsync(image, ct))
            {
                throw new InvalidOperationException($"Importing {image} failed: {progress.Error}\n{progress.Output}");
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
}
