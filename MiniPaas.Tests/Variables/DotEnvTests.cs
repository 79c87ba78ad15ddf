using MiniPaas.Core.Variables;

namespace MiniPaas.Tests.Variables;

public sealed class DotEnvTests
{
    public static TheoryData<string, string, string> SingleValues => new()
    {
        // name, .env text, expected value of A
        { "plain", "A=hello", "hello" },
        { "trimmed", "  A  =   hello world   ", "hello world" },
        { "empty", "A=", "" },
        { "export prefix", "export A=1", "1" },
        { "export with tabs", "export\tA=1", "1" },
        { "inline comment", "A=value # note", "value" },
        { "only a comment", "A= # nothing", "" },
        { "hash inside word", "A=http://x/#frag", "http://x/#frag" },
        { "colour", "A=#ff0000", "#ff0000" },
        { "equals in value", "A=b=c==", "b=c==" },
        { "command substitution kept", "A=$(id)", "$(id)" },
        { "reference kept", "A=${B}", "${B}" },
        { "single quotes literal", @"A='x\ny $(id) ""q""'", @"x\ny $(id) ""q""" },
        { "single quotes keep #", "A='a # b' # comment", "a # b" },
        { "double quotes escapes", @"A=""l1\nl2\t\""q\"" \\ \$HOME \x""", "l1\nl2\t\"q\" \\ $HOME \\x" },
        { "double quotes keep #", "A=\"a # b\"", "a # b" },
        { "double quoted multi-line", "A=\"first\nsecond\n  third\"", "first\nsecond\n  third" },
        { "single quoted multi-line", "A='-----BEGIN-----\nabc\n-----END-----'", "-----BEGIN-----\nabc\n-----END-----" },
        { "crlf", "A=\"x\r\ny\"\r\n", "x\ny" },
        { "comment lines", "# top\n\n   # indented\nA=1\n", "1" },
        { "last one wins", "A=1\nA=2", "2" },
        { "quoted empty", "A=\"\"", "" },
        { "export as key", "export=1\nA=export", "export" },
    };

    [Theory]
    [MemberData(nameof(SingleValues))]
    public void Parse_Table_ReadsValue(string name, string text, string expected)
    {
        var result = DotEnvParser.Parse(text);

        Assert.True(result.Succeeded, $"{name}: {string.Join("; ", result.Errors)}");
        Assert.Equal(expected, result.Entries.Single(e => e.Key == "A").Value);
    }

    public static TheoryData<string, string, int, string> Refusals => new()
    {
        // name, .env text, line of the error, part of the message
        { "continuation line", "A=B\nC", 2, "has no '='" },
        { "bare word", "HELLO", 1, "has no '='" },
        { "digit first", "1A=x", 1, "not a valid key" },
        { "dash", "MY-KEY=x", 1, "not a valid key" },
        { "space in key", "MY KEY=x", 1, "not a valid key" },
        { "empty key", "=x", 1, "not a valid key" },
        { "unclosed double", "A=\"never\nclosed", 1, "never closed" },
        { "unclosed single", "B=1\nA='x", 2, "never closed" },
        { "text after quote", "A=\"x\" y", 1, "after the closing quote" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Parse_Table_RefusesWithLine(string name, string text, int line, string message)
    {
        var result = DotEnvParser.Parse(text);

        var error = Assert.Single(result.Errors);
        Assert.True(error.Line == line, $"{name}: error on line {error.Line}, expected {line}");
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Block_KeepsLinesAndWarnsOnDuplicates()
    {
        var result = DotEnvParser.Parse("""
            # database
            export DATABASE_URL="postgres://u:p@db/app"
            PEM="-----BEGIN-----
            abc
            -----END-----"
            DEBUG=false
            DEBUG=true
            """);

        Assert.True(result.Succeeded);
        Assert.Equal([("DATABASE_URL", 2), ("PEM", 3), ("DEBUG", 7)], result.Entries.Select(e => (e.Key, e.Line)));
        Assert.Contains("line 6", Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> RoundTripValues => new()
    {
        "",
        "plain",
        "with space",
        " leading and trailing ",
        "#not a comment",
        "a # b",
        "$(id)",
        "${OTHER}",
        "it's",
        "say \"hi\"",
        "both ' and \"",
        "back\\slash\\n not a newline",
        "multi\nline\nvalue\n",
        "crlf\r\nkept",
        "tab\there",
        "ünïcödé ✓",
        "=starts with equals",
        "'quoted already'",
        "\"double already\"",
        "ends with backslash\\",
    };

    [Theory]
    [MemberData(nameof(RoundTripValues))]
    public void Write_ThenParse_SameValue(string value)
    {
        var text = DotEnvWriter.Write([new("KEY", value), new("NEXT", "after")]);

        var result = DotEnvParser.Parse(text);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal([("KEY", value), ("NEXT", "after")], result.Entries.Select(e => (e.Key, e.Value)));
    }

    [Fact]
    public void Preview_PastedBlock_ClassifiesEachKey()
    {
        var current = new List<ProjectVariable>
        {
            new("SAME", "1", true, true, DateTimeOffset.UnixEpoch),
            new("CHANGE", "old", true, true, DateTimeOffset.UnixEpoch),
            new("BROKEN", null, false, true, DateTimeOffset.UnixEpoch),
            new("UNTOUCHED", "x", true, true, DateTimeOffset.UnixEpoch),
        };
        var parsed = DotEnvParser.Parse("SAME=1\nCHANGE=new\nBROKEN=fixed\nNEW=n\nPORT=3000\nLD_PRELOAD=/x.so");

        var preview = DotEnvImport.Preview(current, parsed);

        Assert.Equal(
            [("SAME", VariableImportKind.Unchanged), ("CHANGE", VariableImportKind.Changed), ("BROKEN", VariableImportKind.Changed),
             ("NEW", VariableImportKind.Added), ("PORT", VariableImportKind.Refused), ("LD_PRELOAD", VariableImportKind.Added)],
            preview.Select(p => (p.Key, p.Kind)));
        Assert.Contains("PORT is set by MiniPaas", preview.Single(p => p.Key == "PORT").Error, StringComparison.Ordinal);
        Assert.Single(preview.Single(p => p.Key == "LD_PRELOAD").Warnings);
        Assert.Equal(["CHANGE", "BROKEN", "NEW", "LD_PRELOAD"], DotEnvImport.ToSave(preview, parsed).Select(e => e.Key));
    }
}
