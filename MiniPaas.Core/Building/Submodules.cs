namespace MiniPaas.Core.Building;

/// <summary>
/// Git submodules are not supported: clones are shallow and never recurse (a submodule may point at any URL, including a
/// local path on the MiniPaas host), so a submodule's folder is empty in the build. The build log says so.
/// </summary>
public static class Submodules
{
    /// <summary>The build-log sentence when the repository declares submodules.</summary>
    public const string Note =
        "This repository declares git submodules (.gitmodules): MiniPaas does not fetch submodules, so their folders are empty in the build. " +
        "Copy their content into the repository, or install it with the stack's package manager.";

    /// <summary>True when the repository holding <paramref name="directory"/> (the checkout or a folder inside it) has a <c>.gitmodules</c>.</summary>
    public static bool AreDeclared(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);

        // The folder may be the project's root directory inside the clone: look up to the folder holding .git. Existence is
        // enough, nothing is read, so a .gitmodules that is a link does not matter.
        for (var current = new DirectoryInfo(Path.GetFullPath(directory)); current is not null; current = current.Parent)
        {
            if (Path.Exists(Path.Combine(current.FullName, ".git")))
            {
                var gitmodules = new FileInfo(Path.Combine(current.FullName, ".gitmodules"));
                return gitmodules.Exists || gitmodules.LinkTarget is not null;
            }
        }

        return false;
    }
}
