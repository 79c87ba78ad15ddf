namespace MiniPaas.Core.Persistence.Resolution;

/// <summary>Writes files only their owner may read (mode 600), for generated database passwords.</summary>
internal static class SecretFile
{
    public static async Task WriteAsync(string path, string content, CancellationToken ct)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var writer = new StreamWriter(path, options);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(content.AsMemory(), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Makes a folder reachable by its owner only.</summary>
    public static void RestrictToOwner(string directory)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
