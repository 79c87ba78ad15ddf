using System.Formats.Tar;
using System.Text;
using MiniPaas.Core.Checkouts;

namespace MiniPaas.Core.Building;

/// <summary>A file added to the build context without being written into the repository (e.g. the generated Dockerfile).</summary>
public sealed record BuildContextFile(string Path, string Content);

/// <summary>
/// Writes a build context folder as an uncompressed tar (PAX entries, so long paths survive), honouring <c>.dockerignore</c>.
/// </summary>
/// <remarks>
/// <c>.git</c> is always left out: Docker would send it, but the clone is ours, it is often the biggest folder, and it would
/// bust the layer cache on every commit. The Dockerfile in use is always sent even when <c>.dockerignore</c> excludes it (as Docker does).
/// Nothing from outside the context folder can enter the archive:
/// - a symbolic link is archived as a link (its text only), never followed, wherever it points. A link out of the checkout
///   is harmless there: the engine's <c>COPY</c> copies the link itself into the image, where it points into the container's
///   own file system, never the host's;
/// - the Dockerfile and <c>.dockerignore</c>, which the engine and MiniPaas read as files, are refused with
///   <see cref="CheckoutFileRefusedException"/> when they are links out of the checkout or special files; <c>.dockerignore</c>
///   is read through <see cref="CheckoutFiles"/> (size-capped);
/// - FIFOs, devices and sockets are left out (git cannot create them; a FIFO would stall the archive);
/// - a hard link is a regular file whose content is the checkout's own (git cannot create one, and one cannot span file systems).
/// </remarks>
public static class BuildContextArchive
{
    /// <summary>Writes the tar of <paramref name="contextDirectory"/> to <paramref name="destination"/> (left open).</summary>
    /// <param name="dockerfilePath">Dockerfile path relative to the context, always included.</param>
    /// <param name="extraFiles">Files added to the archive (replacing any file of the same path).</param>
    /// <returns>The relative paths written, in order.</returns>
    /// <exception cref="CheckoutFileRefusedException">The Dockerfile or <c>.dockerignore</c> is a link out of the checkout, a special file or (for <c>.dockerignore</c>) too large.</exception>
    public static Task<IReadOnlyList<string>> WriteAsync(
        Stream destination,
        string contextDirectory,
        string? dockerfilePath = null,
        IReadOnlyList<BuildContextFile>? extraFiles = null,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(contextDirectory);
        return WriteAsync(destination, new CheckoutFiles(contextDirectory), dockerfilePath, extraFiles, ct);
    }

    /// <inheritdoc cref="WriteAsync(Stream, string, string?, IReadOnlyList{BuildContextFile}?, CancellationToken)"/>
    /// <param name="context">The context folder, read with its size cap.</param>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        Stream destination,
        CheckoutFiles context,
        string? dockerfilePath = null,
        IReadOnlyList<BuildContextFile>? extraFiles = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(context);
        var root = context.Root;
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Build context '{root}' does not exist.");
        }

        var keep = Normalize(dockerfilePath ?? "Dockerfile");
        extraFiles ??= [];
        if (!extraFiles.Any(f => Normalize(f.Path) == keep))
        {
            context.Require(keep, "Dockerfile");
        }

        var ignoreText = context.ReadRequiredText(DockerIgnore.FileName, DockerIgnore.FileName);
        var ignore = DockerIgnore.Parse(ignoreText);
        extraFiles = HideGeneratedDockerfile(ignoreText, keep, extraFiles);
        var replaced = extraFiles.Select(f => Normalize(f.Path)).ToHashSet(StringComparer.Ordinal);
        var written = new List<string>();
        var writer = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var (fullPath, relative) in Walk(root, ignore, keep))
            {
                ct.ThrowIfCancellationRequested();
                if (replaced.Contains(relative))
                {
                    continue;
                }

                if (await WriteEntryAsync(writer, fullPath, relative, ct).ConfigureAwait(false))
                {
                    written.Add(relative);
                }
            }

            foreach (var extra in extraFiles)
            {
                var relative = Normalize(extra.Path);
                var bytes = Encoding.UTF8.GetBytes(extra.Content);
                var entry = new PaxTarEntry(TarEntryType.RegularFile, relative)
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    DataStream = new MemoryStream(bytes),
                };
                await writer.WriteEntryAsync(entry, ct).ConfigureAwait(false);
                written.Add(relative);
            }
        }

        return written;
    }

    // The engine drops the Dockerfile from the context after reading it when .dockerignore lists it; listing an injected
    // Dockerfile keeps it out of "COPY . ." (a static site would otherwise serve it).
    // The existing text comes from CheckoutFiles: a .dockerignore linked to a host file was refused before this point, so
    // what is merged here is the repository's own text.
    private static IReadOnlyList<BuildContextFile> HideGeneratedDockerfile(string? existing, string dockerfile, IReadOnlyList<BuildContextFile> extraFiles)
    {
        if (!extraFiles.Any(f => Normalize(f.Path) == dockerfile) || extraFiles.Any(f => Normalize(f.Path) == DockerIgnore.FileName))
        {
            return extraFiles;
        }

        existing ??= string.Empty;
        var merged = existing + (existing.Length == 0 || existing.EndsWith('\n') ? string.Empty : "\n") + "# Added by MiniPaas: the generated Dockerfile is not part of the app.\n" + dockerfile + "\n";
        return [.. extraFiles, new BuildContextFile(DockerIgnore.FileName, merged)];
    }

    // Links are written from their text, so the writer never opens what they point to; special files are left out.
    private static async Task<bool> WriteEntryAsync(TarWriter writer, string fullPath, string relative, CancellationToken ct)
    {
        var (kind, _) = FileStatus.Get(fullPath);
        switch (kind)
        {
            case FileKind.SymbolicLink:
                var entry = new PaxTarEntry(TarEntryType.SymbolicLink, relative)
                {
                    LinkName = new FileInfo(fullPath).LinkTarget ?? string.Empty,
                    Mode = (UnixFileMode)0x1FF,
                };
                await writer.WriteEntryAsync(entry, ct).ConfigureAwait(false);
                return true;
            case FileKind.Regular or FileKind.Directory:
                await writer.WriteEntryAsync(fullPath, relative, ct).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    private static IEnumerable<(string FullPath, string Relative)> Walk(string root, DockerIgnore ignore, string keep)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            var entries = new DirectoryInfo(directory).EnumerateFileSystemInfos()
                .OrderBy(e => e.Name, StringComparer.Ordinal)
                .ToList();
            var subdirectories = new List<string>();
            foreach (var entry in entries)
            {
                var relative = Path.GetRelativePath(root, entry.FullName).Replace('\\', '/');
                var isDirectory = entry is DirectoryInfo && entry.LinkTarget is null;
                if (relative == ".git" || relative.StartsWith(".git/", StringComparison.Ordinal))
                {
                    continue;
                }

                var excluded = ignore.IsExcluded(relative) && relative != keep;
                if (isDirectory)
                {
                    // An excluded folder is still walked when exceptions might re-include something below it.
                    if (!excluded)
                    {
                        yield return (entry.FullName, relative);
                    }

                    if (!excluded || ignore.HasExceptions || keep.StartsWith(relative + "/", StringComparison.Ordinal))
                    {
                        subdirectories.Add(entry.FullName);
                    }

                    continue;
                }

                if (!excluded)
                {
                    yield return (entry.FullName, relative);
                }
            }

            for (var i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }
    }

    private static string Normalize(string path) => path.Replace('\\', '/').TrimStart('/');
}
