using CliWrap;
using CliWrap.Buffered;
using MiniPaas.Core.Git;

namespace MiniPaas.Tests.Git;

public sealed class GitRefValidatorTests
{
    public static readonly string[] BranchCases =
    [
        "main", "master", "feature/x", "feature/x/y", "release-1.2", "v1.0", "a", "UPPER", "with_underscore", "x.y",
        "dots.in.middle", "@x", "x@", "a@b", "emoji-\u00e9", "a.lock.b", "lock", ".", "..", "a..b", "a/../b", "@{", "a@{b",
        "a b", "a~b", "a^b", "a:b", "a?b", "a*b", "a[b", "a\\b", "a\tb", "a\u007fb", "a\u0001b", "/a", "a/", "a//b", ".a", "a/.b",
        "a.", "a/b.", "a.lock", "a/b.lock", "a.lock/b", "-x", "--x", "-", "x-", "main;touch /tmp/x", "main;touch", "$(touch)",
        "`x`", "a|b", "a&b", "a>b", "a<b", "a'b", "a\"b", "a{b", "a}b", "a!b", "a#b", "a%b", "a,b", "a=b", "a+b", "refs/heads/x",
        "HEAD", "head", "x/HEAD", "FETCH_HEAD", "a/b/c/d/e", "a.b/c.d", "a/@/b", "@/a", "a/@", "@@", "{}", "a{}",
        "\u00fcber", "x.lck", ".lock", "a/.lock", "a./b", "a/.", "./a",
    ];

    public static TheoryData<string> Branches()
    {
        var data = new TheoryData<string>();
        foreach (var name in BranchCases)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [InlineData("main")]
    [InlineData("feature/login-page")]
    [InlineData("release-2024.1")]
    [InlineData("  main  ")]
    public void TryValidateBranch_ValidName_AcceptedTrimmed(string input)
    {
        Assert.True(GitRefValidator.TryValidateBranch(input, out var branch, out var error), error);
        Assert.Equal(input.Trim(), branch);
    }

    [Theory]
    [InlineData("main;touch /tmp/x", "' '")]
    [InlineData("-x", "'-'")]
    [InlineData("a..b", "'..'")]
    [InlineData("a@{1}", "'@{'")]
    [InlineData("a.lock", ".lock")]
    [InlineData("/a", "'/'")]
    [InlineData("a/", "'/'")]
    [InlineData("a//b", "'//'")]
    [InlineData(".hidden", "'.'")]
    [InlineData("a.", "'.'")]
    [InlineData("@", "'@'")]
    [InlineData("a~1", "'~'")]
    [InlineData("a\\b", "'\\'")]
    [InlineData("", "Enter a branch")]
    [InlineData(null, "Enter a branch")]
    public void TryValidateBranch_InvalidName_RefusedWithReason(string? input, string expected)
    {
        Assert.False(GitRefValidator.TryValidateBranch(input, out var branch, out var error));
        Assert.Null(branch);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryValidateBranch_LongerThan255_Refused()
    {
        Assert.True(GitRefValidator.TryValidateBranch(new string('a', 255), out _, out _));
        Assert.False(GitRefValidator.TryValidateBranch(new string('a', 256), out _, out var error));
        Assert.Contains("255", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Branches))]
    public async Task CheckBranch_SameVerdictAsRealGitCheckRefFormat(string name)
    {
        // Outside any repository so git does not expand @{-1} and friends.
        var result = await Cli.Wrap("git")
            .WithArguments(["check-ref-format", "--branch", name])
            .WithWorkingDirectory(Path.GetTempPath())
            .WithEnvironmentVariables(e => e.Set("GIT_CEILING_DIRECTORIES", Path.GetTempPath().TrimEnd('/')))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var gitAccepts = result.ExitCode == 0;
        var ours = GitRefValidator.CheckBranch(name);
        Assert.True(gitAccepts == (ours is null), $"'{name}': git {(gitAccepts ? "accepts" : "refuses")}, ours {(ours is null ? "accepts" : "refuses: " + ours)}; git said {result.StandardError}");
    }

    [Fact]
    public void CheckBranch_At_StricterThanGit()
    {
        // Outside a repository git accepts "@" as a branch name, but inside one "@" means HEAD: refusing it avoids the ambiguity.
        Assert.NotNull(GitRefValidator.CheckBranch("@"));
    }

    [Theory]
    [InlineData("abcd")]
    [InlineData("0123456789abcdef0123456789abcdef01234567")]
    [InlineData("ABCDEF12")]
    public void TryValidateCommitSha_Hex4To64_AcceptedLowercase(string input)
    {
        Assert.True(GitRefValidator.TryValidateCommitSha(input, out var sha, out _));
        Assert.Equal(input.ToLowerInvariant(), sha);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("xyz1")]
    [InlineData("-abcd")]
    [InlineData("abcd;ls")]
    [InlineData("")]
    [InlineData(null)]
    public void TryValidateCommitSha_NotHexOrWrongLength_Refused(string? input)
    {
        Assert.False(GitRefValidator.TryValidateCommitSha(input, out _, out var error));
        Assert.Contains("hexadecimal", error, StringComparison.Ordinal);
        Assert.False(GitRefValidator.TryValidateCommitSha(new string('a', 65), out _, out _));
    }
}
