using System.Formats.Tar;
using System.Text;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Building;
using MiniPaas.Core.Checkouts;
using MiniPaas.Core.Configuration;
using MiniPaas.Tests.Checkouts;

namespace MiniPaas.Tests.Building;

/// <summary>Stack detection, planning and the build context archive on checkouts holding links out, special files and big files.</summary>
public sealed class CheckoutSafetyTests : IDisposable
{
    private readonly CheckoutFolder _checkout = new();

    public void Dispose() => _checkout.Dispose();

    private static BuildPlanner Planner(long maxFileBytes = CheckoutFiles.DefaultMaxFileBytes)
    {
        var options = Options.Create(new BuilderOptions { MaxCheckoutFileBytes = maxFileBytes });
        return new BuildPlanner(new StackDetector(options), new DockerfileGenerator(new BaseImageCatalog(options)));
    }

    /// <summary>Every entry of the archive: name → (type, link text, content).</summary>
    private static async Task<Dictionary<string, (TarEntryType Type, string LinkName, string Content)>> ArchiveAsync(
        string root, string dockerfile = "Dockerfile", IReadOnlyList<BuildContextFile>? extra = null)
    {
        using var tar = new MemoryStream();
        await BuildContextArchive.WriteAsync(tar, root, dockerfile, extra);
        tar.Position = 0;
        var entries = new Dictionary<string, (TarEntryType, string, string)>();
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry() is { } entry)
        {
            var content = entry.DataStream is null ? string.Empty : await new StreamReader(entry.DataStream).ReadToEndAsync();
            entries[entry.Name.TrimEnd('/')] = (entry.EntryType, entry.LinkName, content);
        }

        return entries;
    }

    [Fact]
    public void Detect_PackageJsonLinkedToDevZero_SkipsItNotesItAndDetectsTheNextStack()
    {
        _checkout.Link("package.json", "/dev/zero").File("index.html", "<h1>hi</h1>");

        var plan = Planner().Plan(_checkout.Root);

        Assert.Equal(StackKeys.Static, plan.Stack.Stack);
        Assert.Equal(["Skipped package.json: it is a symbolic link to '/dev/zero', outside the checkout."], plan.Notes);
    }

    [Fact]
    public void Detect_OnlyALinkedManifest_NotDetectedAndTheMessageNamesTheSkippedFile()
    {
        _checkout.Link("requirements.txt", "/proc/self/environ");

        var ex = Assert.Throws<StackNotDetectedException>(() => Planner().Plan(_checkout.Root));

        Assert.StartsWith("Could not tell how to build the app", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Skipped requirements.txt: it is a symbolic link to '/proc/self/environ', outside the checkout.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_ManifestLargerThanTheCap_FailsSayingSo()
    {
        _checkout.File("package.json", "{\"name\":\"" + new string('a', 5000) + "\"}").File("server.js", "");

        var ex = Assert.Throws<StackNotDetectedException>(() => Planner(maxFileBytes: 4096).Plan(_checkout.Root));

        Assert.Contains("Skipped package.json: it is 4.9 KB, larger than the 4 KB limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_GoSourceLargerThanTheCap_SkippedWithNoteAndStillGo()
    {
        _checkout.File("go.mod", "module x\n").File("main.go", "package main\n").File("assets.go", "package main\n//" + new string('a', 5000));

        var plan = Planner(maxFileBytes: 4096).Plan(_checkout.Root);

        Assert.Equal(StackKeys.Go, plan.Stack.Stack);
        Assert.Equal(".", plan.Stack.ProjectPath);
        Assert.Single(plan.Notes, n => n.StartsWith("Skipped assets.go: it is 4.9 KB, larger than the 4 KB limit", StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_DockerfileLinkedOutOfTheCheckout_RefusedNamingTheDockerfile()
    {
        var hostDockerfile = _checkout.OutsideFile("Dockerfile", "FROM scratch\nCOPY . /\n");
        _checkout.Link("Dockerfile", hostDockerfile).File("index.html", "x");

        var ex = Assert.Throws<CheckoutFileRefusedException>(() => Planner().Plan(_checkout.Root));

        Assert.Equal("Dockerfile", ex.Path);
        Assert.StartsWith($"Refused the repository's Dockerfile (Dockerfile): it is a symbolic link to '{hostDockerfile}', outside the checkout.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_DockerfileLinkedInsideTheCheckout_UsedAsTheRepositoryDockerfile()
    {
        _checkout.File("docker/web.Dockerfile", "FROM busybox\n").Link("Dockerfile", "docker/web.Dockerfile");

        var plan = Planner().Plan(_checkout.Root);

        Assert.True(plan.Stack.HasOwnDockerfile);
        Assert.Equal("Dockerfile", plan.DockerfilePath);
        Assert.Empty(plan.Notes);
    }

    [Fact]
    public void Plan_DockerignoreLinkedToProcSelfEnviron_RefusedNamingDockerignore()
    {
        _checkout.Link(".dockerignore", "/proc/self/environ").File("index.html", "x");

        var ex = Assert.Throws<CheckoutFileRefusedException>(() => Planner().Plan(_checkout.Root));

        Assert.Equal(".dockerignore", ex.Path);
        Assert.Contains("'/proc/self/environ', outside the checkout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_RepositoryWithSubmodules_NotesThatTheyAreNotFetched()
    {
        _checkout.Folder(".git").File(".gitmodules", "[submodule \"lib\"]\n\tpath = lib\n\turl = /etc\n").File("site/index.html", "x");

        var plan = Planner().Plan(Path.Combine(_checkout.Root, "site"));

        Assert.Equal([Submodules.Note], plan.Notes);
    }

    [Fact]
    public async Task WriteAsync_LinksOutOfTheCheckout_ArchivedAsLinksNeverAsHostContent()
    {
        var secret = "host secret " + Guid.NewGuid();
        var hostFile = _checkout.OutsideFile("secret.txt", secret);
        _checkout.File("Dockerfile", "FROM busybox\nCOPY . /app\n").File("index.html", "x")
            .Link("leak", hostFile).Link("environ", "/proc/self/environ").Link("up", "../outside/secret.txt").Link("hostdir", _checkout.Outside)
            .Link("inside", "index.html");

        var entries = await ArchiveAsync(_checkout.Root);

        Assert.Equal((TarEntryType.SymbolicLink, hostFile, ""), entries["leak"]);
        Assert.Equal((TarEntryType.SymbolicLink, "/proc/self/environ", ""), entries["environ"]);
        Assert.Equal((TarEntryType.SymbolicLink, "../outside/secret.txt", ""), entries["up"]);
        Assert.Equal((TarEntryType.SymbolicLink, _checkout.Outside, ""), entries["hostdir"]);
        Assert.Equal((TarEntryType.SymbolicLink, "index.html", ""), entries["inside"]);
        Assert.DoesNotContain(entries.Keys, k => k.StartsWith("hostdir/", StringComparison.Ordinal));
        Assert.DoesNotContain(entries.Values, e => e.Content.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_NoEntryOfTheProcessEnvironmentEverInTheArchive()
    {
        // /proc/self/environ is the MiniPaas process's own environment (its database password, tokens, ...).
        var environment = await File.ReadAllTextAsync("/proc/self/environ");
        var markers = environment.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(e => e.Length >= 8).ToList();
        Assert.NotEmpty(markers);
        _checkout.File("index.html", "x").Link("environ", "/proc/self/environ").Link("sub/environ", "../../../../../../../../proc/self/environ")
            .File("config/ignore", "*.log\n").Link(".dockerignore", "config/ignore");

        using var tar = new MemoryStream();
        await BuildContextArchive.WriteAsync(tar, _checkout.Root, "Dockerfile.minipaas", [new BuildContextFile("Dockerfile.minipaas", "FROM busybox\nCOPY . /www\n")]);

        var archived = Encoding.UTF8.GetString(tar.ToArray());
        Assert.Contains("/proc/self/environ", archived, StringComparison.Ordinal);
        Assert.All(markers, m => Assert.DoesNotContain(m, archived, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(".dockerignore", "Dockerfile.minipaas")]
    [InlineData("Dockerfile", "Dockerfile")]
    public async Task WriteAsync_RequiredFileLinkedOut_RefusedNamingIt(string linked, string dockerfile)
    {
        _checkout.Link(linked, "/proc/self/environ").File("index.html", "x");
        IReadOnlyList<BuildContextFile> extra = dockerfile == "Dockerfile" ? [] : [new BuildContextFile(dockerfile, "FROM busybox")];

        var ex = await Assert.ThrowsAsync<CheckoutFileRefusedException>(() => ArchiveAsync(_checkout.Root, dockerfile, extra));

        Assert.Equal(linked, ex.Path);
    }

    [Fact]
    public async Task WriteAsync_DockerignoreLinkedInside_ItsRulesApplyAndTheMergedCopyIsTheRepositorysText()
    {
        _checkout.File("config/ignore", "secret.txt\n").Link(".dockerignore", "config/ignore").File("secret.txt", "s").File("index.html", "x");

        var entries = await ArchiveAsync(_checkout.Root, "Dockerfile.minipaas", [new BuildContextFile("Dockerfile.minipaas", "FROM busybox")]);

        Assert.DoesNotContain("secret.txt", entries.Keys);
        Assert.Equal(TarEntryType.RegularFile, entries[".dockerignore"].Type);
        Assert.StartsWith("secret.txt\n# Added by MiniPaas", entries[".dockerignore"].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_FifoInTheContext_LeftOutWithoutBlocking()
    {
        _checkout.File("Dockerfile", "FROM busybox\n").File("index.html", "x");
        await _checkout.RunAsync("mkfifo", "pipe");

        var write = ArchiveAsync(_checkout.Root);
        Assert.Same(write, await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(30))));

        var entries = await write;
        Assert.DoesNotContain("pipe", entries.Keys);
        Assert.Contains("index.html", entries.Keys);
    }

    [Fact]
    public async Task WriteAsync_HardLinkedFiles_CarryTheCheckoutsOwnContent()
    {
        _checkout.File("Dockerfile", "FROM busybox\n").File("a.txt", "same inode");
        await _checkout.RunAsync("ln", "a.txt", "b.txt");

        var entries = await ArchiveAsync(_checkout.Root);

        Assert.Equal((TarEntryType.RegularFile, "", "same inode"), (entries["a.txt"].Type, entries["a.txt"].LinkName, entries["a.txt"].Content));
        // Either a second copy or a hard link to the first entry: both stay inside the archive.
        Assert.True(entries["b.txt"] is (TarEntryType.RegularFile, _, "same inode") or (TarEntryType.HardLink, "a.txt", _), entries["b.txt"].ToString());
    }
}
