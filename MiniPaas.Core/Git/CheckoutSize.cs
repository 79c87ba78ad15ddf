using System.Globalization;
using System.IO.Enumeration;

namespace MiniPaas.Core.Git;

/// <summary>What a checkout takes on disk: the sizes of its regular files, links not followed (they take no space of their own).</summary>
internal static class CheckoutSize
{
    public static long Of(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var files = new FileSystemEnumerable<long>(
            folder,
            (ref FileSystemEntry entry) => entry.Length,
            new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        long total = 0;
        try
        {
            foreach (var length in files)
            {
                total += length;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // git renames and deletes temporary files while it works; what was counted so far is a fair lower bound.
        }

        return total;
    }

    /// <summary>"1 GiB", "512 MiB", "300 KiB" or "812 bytes".</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => string.Create(CultureInfo.InvariantCulture, $"{bytes >> 30} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
