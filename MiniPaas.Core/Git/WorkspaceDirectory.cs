using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Git;

/// <summary>Per-deployment checkout folders under <c>&lt;DataDirectory&gt;/work/&lt;deploymentId&gt;</c>, removed after the build.</summary>
public sealed class WorkspaceDirectory(IOptions<MiniPaasOptions> options)
{
    /// <summary>The parent of all work folders.</summary>
    public string Root { get; } = Path.Combine(options.Value.ResolvedDataDirectory, "work");

    /// <summary>The folder of one deployment (not created).</summary>
    public string PathFor(long deploymentId) => Path.Combine(Root, deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Returns an empty folder for the deployment, removing what an earlier, interrupted attempt left there.</summary>
    public async Task<string> PrepareAsync(long deploymentId, CancellationToken ct = default)
    {
        var path = PathFor(deploymentId);
        await DeleteTreeAsync(path, ct).ConfigureAwait(false);
        Directory.CreateDirectory(path);
        return path;
    }

    public Task DeleteAsync(long deploymentId, CancellationToken ct = default) => DeleteTreeAsync(PathFor(deploymentId), ct);

    /// <summary>Deletes a folder tree, clearing read-only attributes (git pack files are read-only) when a plain delete is refused.</summary>
    public static Task DeleteTreeAsync(string path, CancellationToken ct = default) =>
        Task.Run(
            () =>
            {
                if (!Directory.Exists(path))
                {
                    return;
                }

                try
                {
                    Directory.Delete(path, recursive: true);
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
                {
                    foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
                    {
                        // Links are removed as links; their targets' attributes are not ours to change.
                        if (entry.LinkTarget is null)
                        {
                            entry.Attributes = FileAttributes.Normal;
                        }
                    }

                    Directory.Delete(path, recursive: true);
                }
            },
            ct);
}
