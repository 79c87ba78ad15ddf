using System.Formats.Tar;
using System.Text;

namespace MiniPaas.Core.Building;

/// <summary>A file added to the build context without being written into the repository (e.g. the generated Dockerfile).</summary>
public sealed record BuildContextFile(string Path, string Content);

/// <summary>
/// Writes a build context folder as an uncompressed tar (PAX entries, so long paths survive), honouring <c>.dockerignore</c>.
/// </summary>
/// <remarks>
/// <c>.git</c> is always left out: Docker would send it, but the clone is ours, it is often the biggest folder, and it would
/// bust the layer cache on every commit. The Dockerfile in use is always sent even when <c>.dockerignore</c> excludes it (as Docker does).
/// Symbolic links are archived as links, never followed, so a link cannot pull host files into the context.
/// </remarks>
public static class BuildContextArchive
{
    /// <summary>Writes the tar of <paramref name="contextDirectory"/> to <paramref name="destination"/> (left open).</summary>
    /// <param name="dockerfilePath">Dockerfile path relative to the context, always included.</param>
    /// <param name="extraFiles">Files added to the archive (replacing any file of the same path).</param>
    /// <returns>The relative paths written, in order.</returns>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        Stream destination,
        string contextDirectory,
        string? dockerfilePath = null,
        IReadOnlyList<BuildContextFile>? extraFiles = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentException.ThrowIfNullOrEmpty(contextDirectory);
        var root = Path.GetFullPath(contextDirectory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Build context '{contextDirectory}' does not exist.");
        }

        var ignore = DockerIgnore.Load(root);
        var keep = Normalize(dockerfilePath ?? "Dockerfile");
        extraFiles = HideGeneratedDockerfile(root, keep, extraFiles ?? []);
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

                await writer.WriteEntryAsync(fullPath, relative, ct).ConfigureAwait(false);
                written.Add(relative);
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
    private static IReadOnlyList<BuildContextFile> HideGeneratedDockerfile(string root, string dockerfile, IReadOnlyList<BuildContextFile> extraFiles)
    {
        if (!extraFiles.Any(f => Normalize(f.Path) == dockerfile) || extraFiles.Any(f => Normalize(f.Path) == ".dockerignore"))
        {
            return extraFiles;
        }

        var existingPath = Path.Combine(root, ".dockerignore");
        var existing = File.Exists(existingPath) ? File.ReadAllText(existingPath) : string.Empty;
        var merged = existing + (existing.Length == 0 || existing.EndsWith('\n') ? string.Empty : "\n") + "# Added by MiniPaas: the generated Dockerfile is not part of the app.\n" + dockerfile + "\n";
        return [.. extraFiles, new BuildContextFile(".dockerignore", merged)];
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
