namespace MiniPaas.Tests.Building;

/// <summary>A throwaway source folder in the temp directory, filled file by file.</summary>
internal sealed class SampleRepo : IDisposable
{
    public SampleRepo() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "minipaas-building-" + Guid.NewGuid().ToString("N"));

    public SampleRepo With(string relative, string content = "")
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
