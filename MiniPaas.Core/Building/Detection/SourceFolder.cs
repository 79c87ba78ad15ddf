namespace MiniPaas.Core.Building.Detection;

/// <summary>Read-only view of the source folder with '/' separated relative paths.</summary>
internal sealed class SourceFolder(string root)
{
    public bool Exists(string relative)
    {
        var full = Path.Combine(root, relative);
        return File.Exists(full) || Directory.Exists(full);
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(root, relative));

    public List<string> SubDirectories(string relative)
    {
        var dir = Path.Combine(root, relative);
        return Directory.Exists(dir)
            ? Directory.GetDirectories(dir).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    public List<string> FindFiles(string pattern, int maxDepth)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = maxDepth > 0, MaxRecursionDepth = maxDepth, IgnoreInaccessible = true };
        return Directory.EnumerateFiles(root, pattern, options)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(s => s is "node_modules" or "bin" or "obj" or ".git"))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
