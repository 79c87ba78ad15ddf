using System.Security.Cryptography;
using System.Text;

namespace MiniPaas.Core.Persistence.Resolution;

/// <summary>
/// Where the private PostgreSQL cluster lives.
/// Normally <c>&lt;data directory&gt;/postgres</c>. PostgreSQL refuses to run as root, so a root MiniPaas runs the server as the
/// <c>postgres</c> user; that user must be able to traverse every parent folder. The default data directory of root is
/// <c>/root/.minipaas</c> and <c>/root</c> is mode 700, so in that case (root, and some existing parent not traversable by others)
/// the cluster goes to <c>/var/lib/minipaas/&lt;first 12 hex digits of SHA-256 of the data directory path&gt;/postgres</c>,
/// owned by <c>postgres</c> with mode 700. The hash keeps two data directories from sharing a cluster.
/// </summary>
internal static class ClusterLocation
{
    public const string RootFallbackParent = "/var/lib/minipaas";

    public static string For(string dataDirectory, bool runsAsPostgresUser) =>
        For(dataDirectory, runsAsPostgresUser, IsTraversableByOthers);

    public static string For(string dataDirectory, bool runsAsPostgresUser, Func<string, bool> isTraversable)
    {
        ArgumentNullException.ThrowIfNull(isTraversable);
        var preferred = Path.Combine(dataDirectory, "postgres");
        if (!runsAsPostgresUser || isTraversable(dataDirectory))
        {
            return preferred;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..12];
        return Path.Combine(RootFallbackParent, hash, "postgres");
    }

    /// <summary>True when every existing folder from <paramref name="path"/> up to <c>/</c> lets other users through (o+x).</summary>
    public static bool IsTraversableByOthers(string path)
    {
        for (var dir = new DirectoryInfo(path); dir is not null; dir = dir.Parent)
        {
            if (dir.Exists && (dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>PostgreSQL refuses root; MiniPaas then runs its programs as <c>postgres</c>.</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()
        ? Environment.UserName == "root"
        : false;
}
