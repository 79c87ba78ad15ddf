using System.Globalization;

namespace MiniPaas.Core.Checkouts;

/// <summary>What a checkout path turned out to be once its links were resolved inside the checkout.</summary>
public enum CheckoutEntryKind
{
    Missing,
    File,
    Directory,

    /// <summary>MiniPaas will not read it: see <see cref="CheckoutEntry.Refusal"/>.</summary>
    Refused,
}

/// <summary>Why a checkout file is not read.</summary>
public enum CheckoutRefusal
{
    None,

    /// <summary>The path, or a symbolic link on the way, leads out of the checkout (an absolute link, too many <c>..</c>).</summary>
    OutsideCheckout,

    /// <summary>More symbolic links than the kernel would follow: a loop.</summary>
    LinkLoop,

    /// <summary>A FIFO, a device or a socket.</summary>
    NotRegularFile,

    /// <summary>Larger than <see cref="CheckoutFiles.MaxFileBytes"/> (by its size, or by what reading it found).</summary>
    TooLarge,
}

/// <summary>One checkout path after resolution.</summary>
/// <param name="Path">The path asked for, relative to the checkout, '/' separated.</param>
/// <param name="FullPath">Where it really is (every link resolved, still inside the checkout); null unless a file or a directory.</param>
/// <param name="Length">Size reported by the file system for a file (a pseudo-file may report 0).</param>
/// <param name="Detail">Why it is refused, a phrase that follows "it is" (naming the link text); null unless refused.</param>
public sealed record CheckoutEntry(string Path, CheckoutEntryKind Kind, string? FullPath, long Length, CheckoutRefusal Refusal, string? Detail)
{
    internal static CheckoutEntry Missing(string path) => new(path, CheckoutEntryKind.Missing, null, 0, CheckoutRefusal.None, null);

    internal static CheckoutEntry Refused(string path, CheckoutRefusal refusal, string detail) =>
        new(path, CheckoutEntryKind.Refused, null, 0, refusal, detail);

    internal static string DescribeSize(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024d * 1024):0.#} MB")
        : bytes >= 1024 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024d:0.#} KB") : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}

/// <summary>A checkout file skipped while reading, with the sentence the build log shows.</summary>
public sealed record CheckoutNote(string Path, CheckoutRefusal Refusal, string Message);

/// <summary>
/// A checkout file that must be read or sent as a regular file (the Dockerfile, <c>.dockerignore</c>) is a link out of the
/// checkout, a special file or too large. An <see cref="IOException"/>, so the deploy pipeline fails the deployment with the message.
/// </summary>
public sealed class CheckoutFileRefusedException : IOException
{
    public CheckoutFileRefusedException() { }

    public CheckoutFileRefusedException(string message) : base(message) { }

    public CheckoutFileRefusedException(string message, Exception innerException) : base(message, innerException) { }

    public CheckoutFileRefusedException(CheckoutEntry entry, string role)
        : base($"Refused the repository's {role} ({entry?.Path}): it is {entry?.Detail}. MiniPaas reads only regular files inside the checkout; replace it with the file itself.")
    {
        Path = entry?.Path;
        Refusal = entry?.Refusal ?? CheckoutRefusal.None;
    }

    /// <summary>The refused path, relative to the checkout.</summary>
    public string? Path { get; }

    public CheckoutRefusal Refusal { get; }
}
