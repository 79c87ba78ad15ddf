using MiniPaas.Core.Checkouts;

namespace MiniPaas.Tests.Checkouts;

public sealed class CheckoutFilesTests : IDisposable
{
    private readonly CheckoutFolder _checkout = new();

    public void Dispose() => _checkout.Dispose();

    private CheckoutFiles Files(long maxFileBytes = CheckoutFiles.DefaultMaxFileBytes) => new(_checkout.Root, maxFileBytes);

    [Fact]
    public void ReadText_RegularFile_ReturnsTextWithoutNotes()
    {
        _checkout.File("src/app.js", "console.log(1)\n");
        var files = Files();

        Assert.Equal("console.log(1)\n", files.ReadText("src/app.js"));
        Assert.Empty(files.Notes);
    }

    [Fact]
    public void ReadText_MissingFileOrFolder_NullWithoutNote()
    {
        _checkout.Folder("src");
        var files = Files();

        Assert.Null(files.ReadText("nope.txt"));
        Assert.Null(files.ReadText("src"));
        Assert.Empty(files.Notes);
    }

    [Fact]
    public void ReadText_RelativeLinkChainStayingInside_ReadsTheTarget()
    {
        // a -> b -> config/real.json; config/up -> ../top.txt; linked folder inside the checkout.
        _checkout.File("config/real.json", "{\"ok\":true}").File("top.txt", "top")
            .Link("b", "config/real.json").Link("a", "b").Link("config/up", "../top.txt").Link("shared", "config");
        var files = Files();

        Assert.Equal("{\"ok\":true}", files.ReadText("a"));
        Assert.Equal("top", files.ReadText("config/up"));
        Assert.Equal("{\"ok\":true}", files.ReadText("shared/real.json"));
        Assert.Equal(Path.Combine(_checkout.Root, "config/real.json"), files.Inspect("a").FullPath);
        Assert.Empty(files.Notes);
    }

    [Fact]
    public void ReadText_AbsoluteLinkToHostFile_RefusedAndNotedWithoutItsContent()
    {
        var secret = _checkout.OutsideFile("secret.txt", "host secret " + Guid.NewGuid());
        _checkout.Link("package.json", secret);
        var files = Files();

        Assert.Null(files.ReadText("package.json"));

        var note = Assert.Single(files.Notes);
        Assert.Equal("package.json", note.Path);
        Assert.Equal(CheckoutRefusal.OutsideCheckout, note.Refusal);
        Assert.Equal($"Skipped package.json: it is a symbolic link to '{secret}', outside the checkout.", note.Message);
    }

    [Fact]
    public void ReadText_DotDotLinkLeavingTheCheckout_Refused()
    {
        _checkout.OutsideFile("secret.txt", "host secret");
        _checkout.Link("deep/er/escape.txt", "../../../outside/secret.txt").Link("deep/ok.txt", "../inside.txt").File("inside.txt", "in");
        var files = Files();

        Assert.Null(files.ReadText("deep/er/escape.txt"));
        Assert.Equal("in", files.ReadText("deep/ok.txt"));
        var note = Assert.Single(files.Notes);
        Assert.Equal(CheckoutRefusal.OutsideCheckout, note.Refusal);
        Assert.Contains("'../../../outside/secret.txt', which leads out of the checkout", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadText_FolderLinkedOutside_FilesBelowItRefused()
    {
        _checkout.OutsideFile("passwd", "root:x:0:0");
        _checkout.Link("etc", _checkout.Outside).Link("rel", "../outside");
        var files = Files();

        Assert.Null(files.ReadText("etc/passwd"));
        Assert.Null(files.ReadText("rel/passwd"));
        Assert.False(files.Exists("etc"));
        Assert.All(files.Notes, n => Assert.Equal(CheckoutRefusal.OutsideCheckout, n.Refusal));
        Assert.Equal(["etc/passwd", "rel/passwd", "etc"], files.Notes.Select(n => n.Path));
    }

    [Theory]
    [InlineData("/proc/self/environ")]
    [InlineData("/dev/zero")]
    [InlineData("/etc/passwd")]
    public void ReadText_LinkToHostPseudoFileOrDevice_RefusedAtOnce(string target)
    {
        _checkout.Link(".dockerignore", target);
        var files = Files();

        Assert.Null(files.ReadText(".dockerignore"));
        Assert.Equal(CheckoutRefusal.OutsideCheckout, Assert.Single(files.Notes).Refusal);
    }

    [Fact]
    public void ReadText_AbsoluteOrEscapingPathAsked_Refused()
    {
        _checkout.Folder("a");
        var files = Files();

        Assert.Equal(CheckoutRefusal.OutsideCheckout, files.Inspect("/etc/passwd").Refusal);
        Assert.Equal(CheckoutRefusal.OutsideCheckout, files.Inspect("../outside").Refusal);
        Assert.Equal(CheckoutRefusal.OutsideCheckout, files.Inspect("a/../../x").Refusal);
        Assert.Null(files.ReadText("/etc/passwd"));
    }

    [Fact]
    public void ReadText_LinkLoop_RefusedAsLoop()
    {
        _checkout.Link("a", "b").Link("b", "a").Link("self", "self").Link("dir/loop", "../dir/loop");
        var files = Files();

        Assert.Null(files.ReadText("a"));
        Assert.Null(files.ReadText("self"));
        Assert.Null(files.ReadText("dir/loop"));
        Assert.Equal([CheckoutRefusal.LinkLoop, CheckoutRefusal.LinkLoop, CheckoutRefusal.LinkLoop], files.Notes.Select(n => n.Refusal));
        Assert.Contains("a loop of symbolic links", files.Notes[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadText_Fifo_RefusedWithoutBlocking()
    {
        await _checkout.RunAsync("mkfifo", "requirements.txt");
        await _checkout.RunAsync("ln", "-s", "requirements.txt", "linked.txt");
        var files = Files();

        // Opening a FIFO blocks until a writer comes: a read that tried would never return.
        var read = Task.Run(() => (files.ReadText("requirements.txt"), files.ReadText("linked.txt")));
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(read, finished);
        Assert.Equal((null, null), await read);
        Assert.Equal([CheckoutRefusal.NotRegularFile, CheckoutRefusal.NotRegularFile], files.Notes.Select(n => n.Refusal));
        Assert.Equal("Skipped requirements.txt: it is a FIFO, a device or a socket, not a regular file.", files.Notes[0].Message);
    }

    [Fact]
    public async Task ReadText_CharacterDeviceInsideCheckout_Refused()
    {
        // The same device as /dev/zero, made inside the checkout: no link to catch, only the file type.
        await _checkout.RunAsync("mknod", "zero", "c", "1", "5");
        var files = Files();

        Assert.Null(files.ReadText("zero"));
        Assert.Equal(CheckoutRefusal.NotRegularFile, Assert.Single(files.Notes).Refusal);
    }

    [Fact]
    public void ReadText_LargerThanCap_SkippedWithNoteAndExactCapRead()
    {
        _checkout.File("big.json", new string('x', 3000)).File("fits.json", new string('y', 2048));
        var files = Files(maxFileBytes: 2048);

        Assert.Null(files.ReadText("big.json"));
        Assert.Equal(2048, files.ReadText("fits.json")!.Length);
        var note = Assert.Single(files.Notes);
        Assert.Equal(CheckoutRefusal.TooLarge, note.Refusal);
        Assert.Equal("Skipped big.json: it is 2.9 KB, larger than the 2 KB limit on files MiniPaas reads (MiniPaas:Builder:MaxCheckoutFileBytes).", note.Message);
    }

    [Fact]
    public void ReadAtMost_EndlessOrZeroSizedPseudoFile_StopsAtTheLimit()
    {
        // What a read does when the reported size lies: /dev/zero never ends, /proc files report 0 bytes.
        Assert.Equal(4097, CheckoutFiles.ReadAtMost("/dev/zero", 4097).Length);
        Assert.Equal(0, new FileInfo("/proc/self/status").Length);
        Assert.Equal(10, CheckoutFiles.ReadAtMost("/proc/self/status", 10).Length);
    }

    [Fact]
    public void ReadRequiredText_RefusedFile_ThrowsNamingThePathAndLink()
    {
        _checkout.Link(".dockerignore", "/proc/self/environ");
        var files = Files();

        var refused = Assert.Throws<CheckoutFileRefusedException>(() => files.ReadRequiredText(".dockerignore", ".dockerignore"));

        Assert.Equal(".dockerignore", refused.Path);
        Assert.StartsWith("Refused the repository's .dockerignore (.dockerignore): it is a symbolic link to '/proc/self/environ', outside the checkout.", refused.Message, StringComparison.Ordinal);
        Assert.Null(Files().ReadRequiredText("absent", "absent"));
    }

    [Fact]
    public void Inspect_PathThroughAFile_Missing()
    {
        _checkout.File("a.txt", "x").Link("to-file", "a.txt");

        Assert.Equal(CheckoutEntryKind.Missing, Files().Inspect("a.txt/b").Kind);
        Assert.Equal(CheckoutEntryKind.Missing, Files().Inspect("to-file/b").Kind);
        Assert.Equal(CheckoutEntryKind.Directory, Files().Inspect(".").Kind);
    }

    [Fact]
    public void EnumerateFiles_LinkedFolders_ListedAsEntriesButNeverEntered()
    {
        _checkout.OutsideFile("outside.js", "process.env.OUTSIDE");
        _checkout.File(".env.example", "A=1").File("src/app.js", "x").File("src/deep/b.js", "y").File("node_modules/m/index.js", "z")
            .Link("src/loop", ".").Link("host", _checkout.Outside).Link("inside", "src");

        var listed = Files().EnumerateFiles(".", "*", int.MaxValue, name => name == "node_modules").ToList();

        Assert.Equal([".env.example", "host", "inside", "src/app.js", "src/loop", "src/deep/b.js"], listed);
    }

    [Fact]
    public void EnumerateFiles_MaxDepthAndPattern_Respected()
    {
        _checkout.File("a.csproj", "").File("x/b.csproj", "").File("x/y/c.csproj", "").File("x/readme.md", "");

        Assert.Equal(["a.csproj", "x/b.csproj"], Files().EnumerateFiles(".", "*.csproj", 1).ToList());
        Assert.Equal(["a.csproj"], Files().EnumerateFiles(".", "*.csproj", 0).ToList());
    }
}
