using MiniPaas.Core.Projects;

namespace MiniPaas.Tests.Projects;

public sealed class RootDirectoryRulesTests : IDisposable
{
    private readonly string _checkout = Directory.CreateTempSubdirectory("minipaas-root-test-").FullName;

    public void Dispose() => Directory.Delete(_checkout, recursive: true);

    [Theory]
    [InlineData("./apps/web/", "apps/web")]
    [InlineData("apps//web", "apps/web")]
    [InlineData("apps/./web", "apps/web")]
    [InlineData("", "")]
    [InlineData("  ", "")]
    [InlineData(null, "")]
    [InlineData(".", "")]
    [InlineData("./", "")]
    [InlineData("docker/Dockerfile.prod", "docker/Dockerfile.prod")]
    [InlineData("a..b/c", "a..b/c")]
    public void TryNormalize_RelativePath_Normalized(string? input, string expected)
    {
        Assert.True(RootDirectoryRules.TryNormalize(input, out var normalized, out var error), error);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("../../etc", "'..'")]
    [InlineData("apps/../../etc", "'..'")]
    [InlineData("..", "'..'")]
    [InlineData("/etc", "relative")]
    [InlineData("~/x", "relative")]
    [InlineData("C:/x", "relative")]
    [InlineData("apps\\web", "'/'")]
    [InlineData("apps/\0web", "control")]
    [InlineData("apps/\nweb", "control")]
    public void TryNormalize_EscapingOrAbsolute_Refused(string input, string expected)
    {
        Assert.False(RootDirectoryRules.TryNormalize(input, out var normalized, out var error));
        Assert.Null(normalized);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveInside_NestedFolder_ReturnsPathInsideCheckout()
    {
        Directory.CreateDirectory(Path.Combine(_checkout, "apps", "web"));
        var resolved = RootDirectoryRules.ResolveInside(_checkout, "./apps/web/");
        Assert.Equal(Path.Combine(_checkout, "apps", "web"), resolved);
        Assert.Equal(_checkout, RootDirectoryRules.ResolveInside(_checkout, ""));
    }

    [Fact]
    public void ResolveInside_NotYetExistingPath_StillResolvedInside() =>
        Assert.Equal(Path.Combine(_checkout, "missing", "x"), RootDirectoryRules.ResolveInside(_checkout, "missing/x"));

    [Fact]
    public void ResolveInside_DotDot_Throws() =>
        Assert.Throws<ArgumentException>(() => RootDirectoryRules.ResolveInside(_checkout, "../../etc"));

    [Fact]
    public void ResolveInside_SymlinkEscapingCheckout_Throws()
    {
        Directory.CreateSymbolicLink(Path.Combine(_checkout, "evil"), "/etc");
        var ex = Assert.Throws<ArgumentException>(() => RootDirectoryRules.ResolveInside(_checkout, "evil"));
        Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RootDirectoryRules.ResolveInside(_checkout, "evil/passwd"));
    }

    [Fact]
    public void ResolveInside_FileSymlinkEscapingCheckout_Throws()
    {
        File.CreateSymbolicLink(Path.Combine(_checkout, "Dockerfile"), "/etc/passwd");
        Assert.Throws<ArgumentException>(() => RootDirectoryRules.ResolveInside(_checkout, "Dockerfile"));
    }

    [Fact]
    public void ResolveInside_RelativeSymlinkUpwards_Throws()
    {
        Directory.CreateDirectory(Path.Combine(_checkout, "apps"));
        Directory.CreateSymbolicLink(Path.Combine(_checkout, "apps", "up"), "../..");
        Assert.Throws<ArgumentException>(() => RootDirectoryRules.ResolveInside(_checkout, "apps/up"));
    }

    [Fact]
    public void ResolveInside_DanglingSymlinkOutside_Throws()
    {
        Directory.CreateSymbolicLink(Path.Combine(_checkout, "gone"), "/nonexistent-minipaas-target");
        Assert.Throws<ArgumentException>(() => RootDirectoryRules.ResolveInside(_checkout, "gone"));
    }

    [Fact]
    public void ResolveInside_SymlinkStayingInside_FollowedToTarget()
    {
        Directory.CreateDirectory(Path.Combine(_checkout, "real", "web"));
        Directory.CreateSymbolicLink(Path.Combine(_checkout, "web"), "real/web");
        Assert.Equal(Path.Combine(_checkout, "real", "web"), RootDirectoryRules.ResolveInside(_checkout, "web"));
    }
}
