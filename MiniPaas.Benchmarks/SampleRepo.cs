using CliWrap;
using CliWrap.Buffered;

namespace MiniPaas.Benchmarks;

/// <summary>A local git repository the benchmark deploys from (no network), with the sample app's files.</summary>
public sealed class SampleRepo : IDisposable
{
    private SampleRepo(string path) => Path = path;

    public string Path { get; }

    /// <summary><c>file://</c> URL: plain local paths make git ignore <c>--depth 1</c>.</summary>
    public string FileUrl => new Uri(Path + "/").AbsoluteUri.TrimEnd('/');

    public static async Task<SampleRepo> CreateAsync(IReadOnlyDictionary<string, string> files, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "minipaas-bench-repo-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        var repo = new SampleRepo(path);
        await repo.GitAsync(ct, "init", "--quiet", "--initial-branch", "main");
        await repo.CommitAsync(files, "initial commit", ct);
        return repo;
    }

    /// <summary>Writes the files and commits (an empty <paramref name="files"/> makes a no-op commit).</summary>
    public async Task CommitAsync(IReadOnlyDictionary<string, string> files, string message, CancellationToken ct)
    {
        foreach (var (relative, content) in files)
        {
            var full = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content, ct);
        }

        await GitAsync(ct, "add", "--all");
        await GitAsync(ct, "-c", "user.name=MiniPaas Bench", "-c", "user.email=bench@minipaas.local", "commit", "--quiet", "--allow-empty", "-m", message);
    }

    private async Task GitAsync(CancellationToken ct, params string[] args)
    {
        var result = await Cli.Wrap("git").WithArguments(args).WithWorkingDirectory(Path)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync(ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {result.StandardError}");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
