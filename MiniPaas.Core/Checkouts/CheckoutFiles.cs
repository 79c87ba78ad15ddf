using System.IO.Enumeration;
using System.Text;

namespace MiniPaas.Core.Checkouts;

/// <summary>
/// The one way MiniPaas reads a checkout (a clone of a repository it does not trust). Symbolic links are resolved inside the
/// checkout, one component at a time: a link whose target stays inside is followed, one that leaves it (an absolute target,
/// <c>..</c> past the root, <c>/proc/self/environ</c>, <c>/dev/zero</c>) is refused, and so are loops, FIFOs, devices and
/// sockets. Reads stop at <see cref="MaxFileBytes"/> + 1 bytes whatever size the file reports, so a growing file or a pseudo-file
/// that reports 0 cannot exhaust memory. Walks never descend into a linked folder. What is skipped is kept in <see cref="Notes"/>
/// for the build log.
/// </summary>
/// <remarks>
/// The checkout is MiniPaas's own clone, which nothing else writes while it is read (builds get a tar of it, never the folder),
/// so checking a path and then opening it leaves no window an attacker can use.
/// </remarks>
public sealed class CheckoutFiles
{
    /// <summary>Largest file read by default: 1 MB (manifests and sources are far smaller; bundles and data are not needed).</summary>
    public const long DefaultMaxFileBytes = 1024 * 1024;

    // Linux's own limit (MAXSYMLINKS) before ELOOP.
    private const int MaxLinks = 40;

    private readonly List<CheckoutNote> _notes = [];
    private readonly HashSet<string> _noted = new(StringComparer.Ordinal);

    /// <param name="root">The checkout (or a folder inside it); nothing outside it is ever read.</param>
    /// <param name="maxFileBytes">Largest file read.</param>
    public CheckoutFiles(string root, long maxFileBytes = DefaultMaxFileBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFileBytes);
        Root = Path.GetFullPath(root);
        MaxFileBytes = maxFileBytes;
    }

    public string Root { get; }

    public long MaxFileBytes { get; }

    /// <summary>Files skipped so far, each once, in the order met.</summary>
    public IReadOnlyList<CheckoutNote> Notes => _notes;

    /// <summary>Resolves <paramref name="path"/> (relative to <see cref="Root"/>) without reading it and without noting anything.</summary>
    public CheckoutEntry Inspect(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var shown = path.Replace('\\', '/');
        if (Path.IsPathRooted(shown))
        {
            return CheckoutEntry.Refused(shown, CheckoutRefusal.OutsideCheckout, "an absolute path, outside the checkout");
        }

        var pending = new Stack<string>(shown.Split('/').Reverse());
        var resolved = new List<string>();
        var kind = FileKind.Directory;
        long length = 0;
        string? lastLink = null;
        var links = 0;
        while (pending.Count > 0)
        {
            var segment = pending.Pop();
            if (segment is "" or ".")
            {
                continue;
            }

            if (kind != FileKind.Directory)
            {
                // "file/child": not a directory, so nothing is there.
                return CheckoutEntry.Missing(shown);
            }

            if (segment == "..")
            {
                if (resolved.Count == 0)
                {
                    return CheckoutEntry.Refused(shown, CheckoutRefusal.OutsideCheckout, lastLink is null
                        ? "a path that leads out of the checkout"
                        : $"a symbolic link to '{lastLink}', which leads out of the checkout");
                }

                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }

            var full = FullPath(resolved, segment);
            (kind, length) = FileStatus.Get(full);
            switch (kind)
            {
                case FileKind.Missing:
                    return CheckoutEntry.Missing(shown);
                case FileKind.SymbolicLink:
                    if (++links > MaxLinks)
                    {
                        return CheckoutEntry.Refused(shown, CheckoutRefusal.LinkLoop, $"a loop of symbolic links (more than {MaxLinks})");
                    }

                    lastLink = new FileInfo(full).LinkTarget;
                    if (lastLink is null)
                    {
                        return CheckoutEntry.Missing(shown);
                    }

                    if (Path.IsPathRooted(lastLink))
                    {
                        return CheckoutEntry.Refused(shown, CheckoutRefusal.OutsideCheckout, $"a symbolic link to '{lastLink}', outside the checkout");
                    }

                    // The target replaces the link and resolves from the link's folder, as the kernel does.
                    foreach (var part in lastLink.Split('/').Reverse())
                    {
                        pending.Push(part);
                    }

                    kind = FileKind.Directory;
                    break;
                default:
                    resolved.Add(segment);
                    break;
            }
        }

        var fullPath = FullPath(resolved, null);
        return kind switch
        {
            FileKind.Regular => new CheckoutEntry(shown, CheckoutEntryKind.File, fullPath, length, CheckoutRefusal.None, null),
            FileKind.Directory => new CheckoutEntry(shown, CheckoutEntryKind.Directory, fullPath, 0, CheckoutRefusal.None, null),
            _ => CheckoutEntry.Refused(shown, CheckoutRefusal.NotRegularFile, "a FIFO, a device or a socket, not a regular file"),
        };
    }

    /// <summary>True for a file or a folder MiniPaas may read; a refused path is noted and counts as absent.</summary>
    public bool Exists(string path)
    {
        var entry = Inspect(path);
        Note(entry);
        return entry.Kind is CheckoutEntryKind.File or CheckoutEntryKind.Directory;
    }

    /// <summary>The text of a file; null when there is no such file, or (noted) when it is refused or too large.</summary>
    public string? ReadText(string path)
    {
        var (entry, text) = Read(path);
        Note(entry);
        return text;
    }

    /// <summary>The text of a file that must be read when present (<c>.dockerignore</c>); null when absent.</summary>
    /// <exception cref="CheckoutFileRefusedException">The file is refused or too large.</exception>
    public string? ReadRequiredText(string path, string role)
    {
        var (entry, text) = Read(path);
        return entry.Kind == CheckoutEntryKind.Refused ? throw new CheckoutFileRefusedException(entry, role) : text;
    }

    /// <summary>Throws when <paramref name="path"/> exists but is refused; a file that must be sent as is (the Dockerfile).</summary>
    /// <exception cref="CheckoutFileRefusedException">The path leads out of the checkout or to a special file.</exception>
    public CheckoutEntry Require(string path, string role)
    {
        var entry = Inspect(path);
        return entry.Kind == CheckoutEntryKind.Refused ? throw new CheckoutFileRefusedException(entry, role) : entry;
    }

    /// <summary>
    /// Relative paths of everything that is not a folder below <paramref name="directory"/> matching <paramref name="pattern"/>
    /// (files, links, special files: read them through this class), folder by folder in ordinal order. Linked folders are never
    /// entered, nor folders for which <paramref name="skipFolder"/> (given the folder's name) says so.
    /// </summary>
    /// <param name="maxDepth">0 lists <paramref name="directory"/> only.</param>
    public IEnumerable<string> EnumerateFiles(string directory, string pattern, int maxDepth, Func<string, bool>? skipFolder = null)
    {
        var start = Inspect(directory);
        if (start.Kind != CheckoutEntryKind.Directory)
        {
            yield break;
        }

        var pending = new Stack<(string Full, int Depth)>();
        pending.Push((start.FullPath!, 0));
        while (pending.Count > 0)
        {
            var (current, depth) = pending.Pop();
            List<(string Name, bool IsFolder)> entries;
            try
            {
                // IsDirectory follows links; lstat tells a real folder from a link to one.
                entries = new FileSystemEnumerable<(string Name, bool IsFolder)>(current,
                        (ref FileSystemEntry e) => (e.FileName.ToString(), e.IsDirectory),
                        new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 })
                    .Select(e => (e.Name, e.IsFolder && FileStatus.Get(Path.Combine(current, e.Name)).Kind == FileKind.Directory))
                    .OrderBy(e => e.Name, StringComparer.Ordinal)
                    .ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var (name, _) in entries.Where(e => !e.IsFolder && FileSystemName.MatchesSimpleExpression(pattern, e.Name)))
            {
                yield return Relative(Path.Combine(current, name));
            }

            if (depth >= maxDepth)
            {
                continue;
            }

            foreach (var (name, _) in entries.Where(e => e.IsFolder && skipFolder?.Invoke(e.Name) != true).Reverse())
            {
                pending.Push((Path.Combine(current, name), depth + 1));
            }
        }
    }

    private (CheckoutEntry Entry, string? Text) Read(string path)
    {
        var entry = Inspect(path);
        if (entry.Kind != CheckoutEntryKind.File)
        {
            return (entry, null);
        }

        var tooLarge = entry with
        {
            Kind = CheckoutEntryKind.Refused,
            Refusal = CheckoutRefusal.TooLarge,
            Detail = $"larger than the {CheckoutEntry.DescribeSize(MaxFileBytes)} limit on files MiniPaas reads (MiniPaas:Builder:MaxCheckoutFileBytes)",
        };
        if (entry.Length > MaxFileBytes)
        {
            return (tooLarge with { Detail = $"{CheckoutEntry.DescribeSize(entry.Length)}, {tooLarge.Detail}" }, null);
        }

        var bytes = ReadAtMost(entry.FullPath!, MaxFileBytes + 1);
        if (bytes.Length > MaxFileBytes)
        {
            return (tooLarge, null);
        }

        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return (entry, reader.ReadToEnd());
    }

    // The reported size is only a hint: the file may grow while read, and pseudo-files report 0.
    internal static byte[] ReadAtMost(string path, long limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        while (buffer.Length < limit)
        {
            var read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length));
            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private void Note(CheckoutEntry entry)
    {
        if (entry.Kind == CheckoutEntryKind.Refused && _noted.Add(entry.Path))
        {
            _notes.Add(new CheckoutNote(entry.Path, entry.Refusal, $"Skipped {entry.Path}: it is {entry.Detail}."));
        }
    }

    private string FullPath(List<string> resolved, string? last)
    {
        var parts = last is null ? resolved : [.. resolved, last];
        return parts.Count == 0 ? Root : Path.Combine(Root, string.Join('/', parts));
    }

    private string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');
}
