using CliWrap;
using CliWrap.Buffered;

namespace MiniPaas.Tests.Git;

/// <summary>
/// A real repository made with the git CLI in a temp folder: <c>main</c> with two commits and <c>feature/x</c>
/// branching from the first commit with one more.
/// </summary>
public sealed class LocalGitRepository : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("minipaas-git-test-").FullName;

    public string RepoPath => Path.Combine(Root, "origin");

    public string FirstSha { get; private set; } = "";

    public string SecondSha { get; private set; } = "";

    public string FeatureSha { get; private set; } = "";

    public const string SecondMessage = "Second commit on main\n\nWith a body line.";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(RepoPath);
        await GitAsync("init", "--quiet", "--initial-branch", "main");
        await File.WriteAllTextAsync(Path.Combine(RepoPath, "README.md"), "first\n");
        await GitAsync("add", "README.md");
        await GitAsync("commit", "--quiet", "-m", "First commit");
        FirstSha = await GitAsync("rev-parse", "HEAD");

        await GitAsync("checkout", "--quiet", "-b", "feature/x");
        await File.WriteAllTextAsync(Path.Combine(RepoPath, "feature.txt"), "feature\n");
        await GitAsync("add", "feature.txt");
        await GitAsync("commit", "--quiet", "-m", "Feature work");
        FeatureSha = await GitAsync("rev-parse", "HEAD");

        await GitAsync("checkout", "--quiet", "main");
        await File.WriteAllTextAsync(Path.Combine(RepoPath, "README.md"), "second\n");
        await GitAsync("add", "README.md");
        await GitAsync("commit", "--quiet", "-m", SecondMessage);
        SecondSha = await GitAsync("rev-parse", "HEAD");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A fresh, not yet existing folder for a clone.</summary>
    public string NewCloneTarget() => Path.Combine(Root, "clone-" + Guid.NewGuid().ToString("N"));

    public Task<string> GitAsync(params string[] arguments) => RunGitAsync(RepoPath, arguments);

    public static async Task<string> RunGitAsync(string workingDirectory, params string[] arguments)
    {
        var result = await Cli.Wrap("git")
            .WithArguments(["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", .. arguments])
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(e => e.Set("GIT_CONFIG_NOSYSTEM", "1"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)} failed: {result.StandardError}");
        return result.StandardOutput.Trim();
    }
}

/// <summary>Records reports synchronously and in order (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
public sealed class RecordingProgress : IProgress<string>
{
    private readonly List<string> _lines = [];
    private readonly Action<string>? _onReport;

    public RecordingProgress(Action<string>? onReport = null) => _onReport = onReport;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public void Report(string value)
    {
        lock (_lines)
        {
            _lines.Add(value);
        }

        _onReport?.Invoke(value);
    }
}
