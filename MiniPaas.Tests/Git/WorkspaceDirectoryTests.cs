using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Git;

namespace MiniPaas.Tests.Git;

public sealed class WorkspaceDirectoryTests : IClassFixture<LocalGitRepository>
{
    private readonly LocalGitRepository _repo;

    public WorkspaceDirectoryTests(LocalGitRepository repo) => _repo = repo;

    [Fact]
    public async Task DeleteAsync_ClonedRepositoryWithReadOnlyPackFiles_FolderRemoved()
    {
        var data = Path.Combine(_repo.Root, "data-" + Guid.NewGuid().ToString("N"));
        var workspace = new WorkspaceDirectory(Options.Create(new MiniPaasOptions { DataDirectory = data }));
        var folder = await workspace.PrepareAsync(42);
        Assert.Equal(Path.Combine(data, "work", "42"), folder);
        Assert.True(Directory.Exists(folder));

        await new CliGitClient(NullLogger<CliGitClient>.Instance).CloneAsync(_repo.RepoPath, "main", null, folder, null, null);
        var packs = Directory.GetFiles(Path.Combine(folder, ".git", "objects", "pack"));
        Assert.NotEmpty(packs);
        foreach (var pack in packs)
        {
            File.SetAttributes(pack, FileAttributes.ReadOnly);
        }

        await workspace.DeleteAsync(42);

        Assert.False(Directory.Exists(folder));
        await workspace.DeleteAsync(42);
    }

    [Fact]
    public async Task PrepareAsync_LeftoverFromInterruptedAttempt_ReturnsEmptyFolder()
    {
        var workspace = new WorkspaceDirectory(Options.Create(new MiniPaasOptions { DataDirectory = Path.Combine(_repo.Root, "data2") }));
        var folder = await workspace.PrepareAsync(7);
        await File.WriteAllTextAsync(Path.Combine(folder, "stale"), "x");

        var again = await workspace.PrepareAsync(7);

        Assert.Equal(folder, again);
        Assert.Empty(Directory.EnumerateFileSystemEntries(again));
    }
}
