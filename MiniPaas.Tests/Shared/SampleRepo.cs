using CliWrap;
using CliWrap.Buffered;

namespace MiniPaas.Tests.Shared;

/// <summary>A throw-away local git repository that tests deploy from (no network needed).</summary>
public sealed class SampleRepo : IDisposable
{
    private SampleRepo(string path) => Path = path;

    public string Path { get; }

    public string FileUrl => new Uri(Path + "/").AbsoluteUri.TrimEnd('/');

    /// <summary>Creates a repo on branch <paramref name="branch"/> with <paramref name="files"/> committed.</summary>
    public static async Task<SampleRepo> CreateAsync(IReadOnlyDictionary<string, string> files, string branch = "main", string message = "initial commit")
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "minipaas-repo-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(path);
        var repo = new SampleRepo(path);
        await repo.GitAsync("init", "--quiet", "--initial-branch", branch);
        await repo.CommitAsync(files, message);
        return repo;
    }

    /// <summary>Writes (or overwrites) files and commits them; returns the new commit SHA.</summary>
    public async Task<string> CommitAsync(IReadOnlyDictionary<string, string> files, string message)
    {
        foreach (var (relative, content) in files)
        {
            var full = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
        }

        await GitAsync("add", "--all");
        await GitAsync("-c", "user.name=MiniPaas Tests", "-c", "user.email=tests@minipaas.local", "commit", "--quiet", "--allow-empty", "-m", message);
        return (await GitAsync("rev-parse", "HEAD")).Trim();
    }

    /// <summary>Commits symbolic links (path → link text, written as is); returns the new commit SHA.</summary>
    public async Task<string> CommitLinksAsync(IReadOnlyDictionary<string, string> links, string message = "links")
    {
        foreach (var (relative, target) in links)
        {
            var full = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.CreateSymbolicLink(full, target);
        }

        await GitAsync("add", "--all");
        await GitAsync("-c", "user.name=MiniPaas Tests", "-c", "user.email=tests@minipaas.local", "commit", "--quiet", "-m", message);
        return (await GitAsync("rev-parse", "HEAD")).Trim();
    }

    public async Task<string> GitAsync(params string[] args)
    {
        var result = await Cli.Wrap("git").WithArguments(args).WithWorkingDirectory(Path)
            .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {result.StandardError}");
        }

        return result.StandardOutput;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
