using System.Formats.Tar;
using MiniPaas.Core.Building;

namespace MiniPaas.Tests.Building;

public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("*.log", "debug.log", true)]
    [InlineData("*.log", "logs/debug.log", false)] // anchored at the root, unlike .gitignore
    [InlineData("**/*.log", "logs/deep/debug.log", true)]
    [InlineData("**/*.log", "debug.log", true)]
    [InlineData("/secret.txt", "secret.txt", true)]
    [InlineData("node_modules/", "node_modules/a/b.js", true)]
    [InlineData("node_modules", "src/node_modules/x", false)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file10.txt", false)]
    [InlineData("*/temp*", "somedir/temporary.txt", true)]
    [InlineData("*/temp*", "somedir/sub/temporary.txt", false)]
    [InlineData("docs/**", "docs/a/b.md", true)]
    [InlineData("[a-c].txt", "b.txt", true)]
    [InlineData("[!a-c].txt", "b.txt", false)]
    [InlineData("# comment", "# comment", false)]
    [InlineData("./build", "build/out.bin", true)]
    public void IsExcluded_Pattern_FollowsDockerSemantics(string pattern, string path, bool excluded)
    {
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));
    }

    [Fact]
    public void IsExcluded_Exception_LastRuleWins()
    {
        var ignore = DockerIgnore.Parse("*.md\n!README*.md\nREADME-secret.md\n");

        Assert.True(ignore.IsExcluded("CHANGES.md"));
        Assert.False(ignore.IsExcluded("README.md"));
        Assert.True(ignore.IsExcluded("README-secret.md"));
    }

    [Fact]
    public async Task WriteAsync_Context_HonoursIgnoreKeepsDockerfileSkipsGitAndAddsExtraFiles()
    {
        using var repo = new SampleRepo()
            .With(".dockerignore", "# ignore secrets\nsecret.txt\nlogs/\n!logs/keep.log\nDockerfile\n")
            .With("Dockerfile", "FROM scratch")
            .With("secret.txt", "s")
            .With("logs/a.log", "a")
            .With("logs/keep.log", "k")
            .With(".git/HEAD", "ref")
            .With("src/" + new string('d', 120) + "/file.txt", "long")
            .With("index.html", "hi");

        using var tar = new MemoryStream();
        await BuildContextArchive.WriteAsync(tar, repo.Path, "Dockerfile", [new BuildContextFile("Dockerfile.minipaas", "FROM busybox")]);

        tar.Position = 0;
        var names = new Dictionary<string, string>();
        using (var reader = new TarReader(tar))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                var content = entry.DataStream is null ? string.Empty : new StreamReader(entry.DataStream).ReadToEnd();
                names[entry.Name.TrimEnd('/')] = content;
            }
        }

        Assert.Contains("Dockerfile", names.Keys);
        Assert.Contains("index.html", names.Keys);
        Assert.Contains("logs/keep.log", names.Keys);
        Assert.Contains("src/" + new string('d', 120) + "/file.txt", names.Keys);
        Assert.Equal("FROM busybox", names["Dockerfile.minipaas"]);
        Assert.DoesNotContain("secret.txt", names.Keys);
        Assert.DoesNotContain("logs/a.log", names.Keys);
        Assert.DoesNotContain(names.Keys, n => n.StartsWith(".git", StringComparison.Ordinal) && n != ".gitignore");
        Assert.DoesNotContain("Dockerfile.minipaas", names[".dockerignore"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_GeneratedDockerfile_IsListedInDockerIgnoreSoCopySkipsIt()
    {
        using var repo = new SampleRepo().With(".dockerignore", "secret.txt").With("secret.txt", "s").With("index.html", "hi");

        using var tar = new MemoryStream();
        var written = await BuildContextArchive.WriteAsync(tar, repo.Path, "Dockerfile.minipaas", [new BuildContextFile("Dockerfile.minipaas", "FROM busybox")]);

        tar.Position = 0;
        string? ignore = null;
        using (var reader = new TarReader(tar))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.Name == ".dockerignore")
                {
                    ignore = new StreamReader(entry.DataStream!).ReadToEnd();
                }
            }
        }

        Assert.Equal(1, written.Count(w => w == ".dockerignore"));
        Assert.NotNull(ignore);
        Assert.StartsWith("secret.txt\n", ignore, StringComparison.Ordinal);
        Assert.EndsWith("\nDockerfile.minipaas\n", ignore, StringComparison.Ordinal);
    }
}
