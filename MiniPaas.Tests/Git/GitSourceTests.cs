using MiniPaas.Core.Git;

namespace MiniPaas.Tests.Git;

public sealed class GitSourceTests : IClassFixture<LocalGitRepository>
{
    private readonly LocalGitRepository _repo;

    public GitSourceTests(LocalGitRepository repo) => _repo = repo;

    [Theory]
    [InlineData("https://github.com/owner/repo.git", GitSourceKind.Https)]
    [InlineData("https://github.com/owner/repo", GitSourceKind.Https)]
    [InlineData("  https://gitlab.example.com:8443/group/sub/repo.git  ", GitSourceKind.Https)]
    [InlineData("ssh://git@github.com/owner/repo.git", GitSourceKind.Ssh)]
    [InlineData("ssh://github.com:2222/owner/repo.git", GitSourceKind.Ssh)]
    [InlineData("git://example.com/repo.git", GitSourceKind.Git)]
    [InlineData("git@github.com:owner/repo.git", GitSourceKind.ScpLike)]
    [InlineData("git@github.com:owner/repo", GitSourceKind.ScpLike)]
    [InlineData("file:///srv/git/repo.git", GitSourceKind.File)]
    [InlineData("http://localhost:3000/repo.git", GitSourceKind.Http)]
    [InlineData("http://127.0.0.1:8080/repo.git", GitSourceKind.Http)]
    [InlineData("http://[::1]:8080/repo.git", GitSourceKind.Http)]
    public void TryParse_SupportedAddress_Accepted(string input, GitSourceKind kind)
    {
        Assert.True(GitSource.TryParse(input, out var source, out var error), error);
        Assert.Equal(kind, source.Kind);
        Assert.Equal(input.Trim(), source.Value);
    }

    [Theory]
    [InlineData("--upload-pack=touch /tmp/x", "'-'")]
    [InlineData("--upload-pack=touch", "'-'")]
    [InlineData("-u", "'-'")]
    [InlineData("ext::sh -c touch% /tmp/x", "spaces")]
    [InlineData("ext::sh", "Remote-helper")]
    [InlineData("fd::17", "Remote-helper")]
    [InlineData("transport::https://example.com/repo", "Remote-helper")]
    [InlineData("http://github.com/owner/repo.git", "only allowed for this machine")]
    [InlineData("ftp://example.com/repo.git", "Unsupported scheme 'ftp://'")]
    [InlineData("javascript://x/%0aalert(1)", "Unsupported scheme")]
    [InlineData("https://user:token@github.com/owner/repo.git", "credentials")]
    [InlineData("https://token@github.com/owner/repo.git", "credentials")]
    [InlineData("ssh://git:secret@github.com/owner/repo.git", "credentials")]
    [InlineData("user:secret@github.com:owner/repo.git", "credentials")]
    [InlineData("https://github.com/owner/repo .git", "spaces")]
    [InlineData("https://github.com/owner/repo\n.git", "control")]
    [InlineData("https://github.com/owner/\trepo", "spaces")]
    [InlineData("ssh://-oProxyCommand=touch%20x/repo", "'-'")]
    [InlineData("git@-oProxyCommand=x:repo", "'-'")]
    [InlineData("-oProxyCommand=x@host:repo", "'-'")]
    [InlineData("ssh://-oProxyCommand/repo", "'-'")]
    [InlineData("ssh://git@-oProxyCommand/repo", "'-'")]
    [InlineData("https://github.com", "no path")]
    [InlineData("", "Enter a repository")]
    [InlineData("   ", "Enter a repository")]
    [InlineData(null, "Enter a repository")]
    [InlineData("relative/path/repo", "Not a supported")]
    [InlineData("file://example.com/srv/repo", "this machine")]
    public void TryParse_HostileOrUnsupported_RefusedWithReadableMessage(string? input, string expected)
    {
        Assert.False(GitSource.TryParse(input, out var source, out var error));
        Assert.Null(source);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_LocalGitRepository_AcceptedAndClonedThroughFileUrl()
    {
        Assert.True(GitSource.TryParse(_repo.RepoPath + "/", out var source, out var error), error);
        Assert.Equal(GitSourceKind.LocalPath, source.Kind);
        Assert.Equal(_repo.RepoPath, source.Value);
        Assert.StartsWith("file:///", source.CloneUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_PlainFolderWithoutGit_RefusedSayingSo()
    {
        var folder = Directory.CreateTempSubdirectory("minipaas-plain-").FullName;
        try
        {
            Assert.False(GitSource.TryParse(folder, out _, out var error));
            Assert.Contains("not a git repository", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void TryParse_MissingFolder_RefusedSayingItDoesNotExist()
    {
        Assert.False(GitSource.TryParse("/nonexistent/minipaas/" + Guid.NewGuid().ToString("N"), out _, out var error));
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Refused_ThrowsArgumentExceptionWithMessage()
    {
        var ex = Assert.Throws<ArgumentException>(() => GitSource.Parse("ext::sh"));
        Assert.Contains("Remote-helper", ex.Message, StringComparison.Ordinal);
    }
}
