using System.Runtime.InteropServices;

namespace MiniPaas.Core.Checkouts;

/// <summary>What a path names itself, without following a link in its last component.</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,

    /// <summary>A FIFO, a character or block device, or a socket: opening one may block or never end.</summary>
    Special,
}

/// <summary>The <c>lstat</c> of a path: its own type and size, never its link target's.</summary>
/// <remarks>
/// .NET has no public API that tells a FIFO or a device from a regular file, and opening a FIFO to find out blocks until a
/// writer comes. Linux's <c>statx(2)</c> answers without opening, and its buffer has the same layout on every architecture.
/// Where <c>statx</c> is missing (not Linux) the managed view is used, which cannot see special files.
/// </remarks>
internal static class FileStatus
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;
    private const int Directory = 0x4000;
    private const int SymbolicLink = 0xA000;
    private const int NoSuchEntry = 2;
    private const int NotADirectory = 20;

    private static bool _hasStatx = OperatingSystem.IsLinux();

    /// <summary>Kind and size (bytes, as the file system reports it) of <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The path cannot be examined (permission, name too long).</exception>
    public static (FileKind Kind, long Length) Get(string path)
    {
        if (_hasStatx)
        {
            try
            {
                return GetWithStatx(path);
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
            {
                _hasStatx = false;
            }
        }

        return GetManaged(path);
    }

    private static (FileKind Kind, long Length) GetWithStatx(string path)
    {
        if (NativeMethods.Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxSize, out var status) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error is NoSuchEntry or NotADirectory
                ? (FileKind.Missing, 0)
                : throw new IOException($"Cannot examine '{path}': {Marshal.GetPInvokeErrorMessage(error)}.");
        }

        var kind = (status.Mode & TypeMask) switch
        {
            Regular => FileKind.Regular,
            Directory => FileKind.Directory,
            SymbolicLink => FileKind.SymbolicLink,
            _ => FileKind.Special,
        };
        return (kind, (long)Math.Min(status.Size, long.MaxValue));
    }

    private static (FileKind Kind, long Length) GetManaged(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            return (FileKind.SymbolicLink, 0);
        }

        return info.Exists ? (FileKind.Regular, info.Length) : System.IO.Directory.Exists(path) ? (FileKind.Directory, 0) : (FileKind.Missing, 0);
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out StatxBuffer buffer);
    }

    // struct statx from <linux/stat.h>: 256 bytes, stx_mode at 28, stx_size at 40.
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;
    }
}
