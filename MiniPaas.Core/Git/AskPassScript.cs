using System.Runtime.InteropServices;

namespace MiniPaas.Core.Git;

/// <summary>
/// A <c>GIT_ASKPASS</c> program in a private (0700) temporary folder. It holds no secret: it echoes
/// <c>GIT_MINIPAAS_USERNAME</c>/<c>GIT_MINIPAAS_PASSWORD</c>, which exist only in the git child's environment.
/// </summary>
internal sealed class AskPassScript : IDisposable
{
    public const string UsernameVariable = "GIT_MINIPAAS_USERNAME";
    public const string PasswordVariable = "GIT_MINIPAAS_PASSWORD";

    private const string Script = """
        #!/bin/sh
        case "$1" in
          Username*|username*) printf '%s\n' "$GIT_MINIPAAS_USERNAME" ;;
          *) printf '%s\n' "$GIT_MINIPAAS_PASSWORD" ;;
        esac

        """;

    private readonly string _folder;

    private AskPassScript(string folder, string path)
    {
        _folder = folder;
        FilePath = path;
    }

    public string FilePath { get; }

    /// <param name="parentDirectory">Where to create the private folder; null = the system temp folder.</param>
    public static AskPassScript Create(string? parentDirectory = null)
    {
        string folder;
        if (parentDirectory is null)
        {
            folder = Directory.CreateTempSubdirectory("minipaas-askpass-").FullName;
        }
        else
        {
            folder = Path.Combine(parentDirectory, "askpass-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
        }

        var path = Path.Combine(folder, "askpass.sh");
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.WriteAllText(path, Script.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new AskPassScript(folder, path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the folder holds no secret.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
