using MiniPaas.Core.Checkouts;

namespace MiniPaas.Core.Building.Detection;

/// <summary>
/// Read-only view of the source folder with '/' separated relative paths, read through <see cref="CheckoutFiles"/>: a file
/// that is a link out of the checkout or a special file counts as absent (so detection goes on) and is noted.
/// </summary>
internal sealed class SourceFolder(CheckoutFiles files)
{
    public IReadOnlyList<CheckoutNote> Notes => files.Notes;

    public bool Exists(string relative) => files.Exists(relative);

    /// <summary>Kind of <paramref name="relative"/> (links resolved inside the checkout), without noting a refusal.</summary>
    public CheckoutEntry Inspect(string relative) => files.Inspect(relative);

    /// <summary>The text of a file the probe cannot do without (a manifest it found).</summary>
    /// <exception cref="StackNotDetectedException">The file is missing, refused or too large; the message says which.</exception>
    public string Read(string relative) => files.ReadText(relative)
        ?? throw new StackNotDetectedException(files.Notes.LastOrDefault(n => n.Path == relative)?.Message ?? $"{relative} could not be read.");

    /// <summary>The text of a file the probe can do without; null (noted) when refused or too large.</summary>
    public string? TryRead(string relative) => files.ReadText(relative);

    /// <summary>Folders directly inside <paramref name="relative"/>, without hidden ones and without links.</summary>
    public List<string> SubDirectories(string relative)
    {
        var folder = files.Inspect(relative);
        if (folder.Kind != CheckoutEntryKind.Directory)
        {
            return [];
        }

        return new DirectoryInfo(folder.FullPath!).EnumerateDirectories()
            .Where(d => d.LinkTarget is null && !d.Name.StartsWith('.'))
            .Select(d => d.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Files matching <paramref name="pattern"/> up to <paramref name="maxDepth"/> folders down, outside dependency, build and hidden folders; refused ones are noted and left out.</summary>
    public List<string> FindFiles(string pattern, int maxDepth) =>
        files.EnumerateFiles(".", pattern, maxDepth, name => name.StartsWith('.') || name is "node_modules" or "bin" or "obj")
            .Where(f => !Path.GetFileName(f).StartsWith('.') && files.Exists(f) && files.Inspect(f).Kind == CheckoutEntryKind.File)
            .Order(StringComparer.Ordinal)
            .ToList();
}
