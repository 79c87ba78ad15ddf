using System.Diagnostics.CodeAnalysis;

namespace MiniPaas.Core.Projects;

/// <summary>
/// Paths inside a repository chosen by the user (root directory of a monorepo app, Dockerfile path):
/// relative, forward slashes, no <c>..</c>; resolved against a checkout so the result can never leave it.
/// </summary>
public static class RootDirectoryRules
{
    public const int MaxLength = 1024;

    /// <summary>Normalises <c>./apps/web/</c> to <c>apps/web</c>; empty or <c>.</c> means the repository root (<c>""</c>).</summary>
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? normalized, [NotNullWhen(false)] out string? error)
    {
        normalized = null;
        var value = input?.Trim() ?? "";
        error = Check(value);
        if (error is not null)
        {
            return false;
        }

        normalized = string.Join('/', value.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "."));
        return true;
    }

    private static string? Check(string value)
    {
        if (value.Length > MaxLength)
        {
            return $"The path is longer than {MaxLength} characters.";
        }

        if (value.Any(char.IsControl))
        {
            return "The path cannot contain control characters.";
        }

        if (value.Contains('\\', StringComparison.Ordinal))
        {
            return "Use '/' to separate folders, not '\\'.";
        }

        if (value.StartsWith('/') || value.StartsWith('~') || (value.Length >= 2 && value[1] == ':'))
        {
            return "Use a path relative to the repository root (like 'apps/web'), not an absolute path.";
        }

        if (value.Split('/').Any(s => s == ".."))
        {
            return "The path cannot contain '..'; it must stay inside the repository.";
        }

        return null;
    }

    /// <summary>
    /// Resolves a normalised relative path against <paramref name="checkoutDirectory"/> and proves it stays inside,
    /// following symbolic links on the way (a repository can commit a link to <c>/etc</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The path is invalid or escapes the checkout.</exception>
    public static string ResolveInside(string checkoutDirectory, string? relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkoutDirectory);
        if (!TryNormalize(relativePath, out var normalized, out var error))
        {
            throw new ArgumentException(error, nameof(relativePath));
        }

        var root = RealPath(Path.GetFullPath(checkoutDirectory));
        var current = root;
        foreach (var segment in normalized.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, segment);
            var target = LinkTarget(current);
            if (target is not null)
            {
                if (!IsInside(root, target))
                {
                    throw new ArgumentException($"'{normalized}' leads outside the repository through a symbolic link.", nameof(relativePath));
                }

                current = target;
            }
        }

        var full = Path.GetFullPath(current);
        if (!IsInside(root, full))
        {
            throw new ArgumentException($"'{normalized}' leads outside the repository.", nameof(relativePath));
        }

        return full;
    }

    private static bool IsInside(string root, string path)
    {
        var full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var rootFull = root.TrimEnd(Path.DirectorySeparatorChar);
        return full == rootFull || full.StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>The final target of a link at <paramref name="path"/>, or null when it is not a link (or does not exist).</summary>
    private static string? LinkTarget(string path)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (info.LinkTarget is null)
        {
            return null;
        }

        var final = info.ResolveLinkTarget(returnFinalTarget: true);
        // A dangling link still points somewhere: judge by where it points.
        return final is not null
            ? RealPath(Path.GetFullPath(final.FullName))
            : Path.GetFullPath(info.LinkTarget, Path.GetDirectoryName(path)!);
    }

    /// <summary>The path with every symbolic link in it resolved (the checkout itself may live under a linked folder).</summary>
    private static string RealPath(string fullPath)
    {
        var root = Path.GetPathRoot(fullPath)!;
        var current = root;
        foreach (var segment in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                current = target.FullName;
            }
        }

        return current;
    }
}
