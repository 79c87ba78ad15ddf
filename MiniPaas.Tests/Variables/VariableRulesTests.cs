using MiniPaas.Core.Variables;

namespace MiniPaas.Tests.Variables;

public sealed class VariableRulesTests
{
    [Theory]
    [InlineData("A", true, false)]
    [InlineData("_", true, false)]
    [InlineData("database_url", true, false)]
    [InlineData("API_KEY_2", true, false)]
    [InlineData("LD_PRELOAD", true, true)]
    [InlineData("LD_LIBRARY_PATH", true, true)]
    [InlineData("", false, false)]
    [InlineData("1ABC", false, false)]
    [InlineData("A-B", false, false)]
    [InlineData("A B", false, false)]
    [InlineData("A=B", false, false)]
    [InlineData("ÄPFEL", false, false)]
    [InlineData("PORT", false, false)]
    [InlineData("MINIPAAS_SUBDOMAIN", false, false)]
    [InlineData("MINIPAAS_ANYTHING", false, false)]
    [InlineData("port", true, false)]
    [InlineData("MINIPAASX", true, false)]
    [InlineData("A\n", false, false)]
    [InlineData("API_KEY\n", false, false)]
    [InlineData("A\r\n", false, false)]
    [InlineData("\nA", false, false)]
    [InlineData("DOTNET_STARTUP_HOOKS", true, true)]
    [InlineData("NODE_OPTIONS", true, true)]
    [InlineData("JAVA_TOOL_OPTIONS", true, true)]
    [InlineData("JDK_JAVA_OPTIONS", true, true)]
    [InlineData("_JAVA_OPTIONS", true, true)]
    [InlineData("PYTHONSTARTUP", true, true)]
    [InlineData("PERL5OPT", true, true)]
    [InlineData("RUBYOPT", true, true)]
    [InlineData("CORECLR_PROFILER_PATH", true, true)]
    [InlineData("ENV", true, true)]
    [InlineData("NODE_ENV", true, false)]
    public void CheckKey_Table_ValidityAndWarning(string key, bool isValid, bool warns)
    {
        var check = VariableRules.CheckKey(key);

        Assert.Equal(isValid, check.IsValid);
        Assert.Equal(warns, check.Warnings.Count > 0);
    }

    [Fact]
    public void CheckKey_LengthLimit_255Allowed256Refused()
    {
        Assert.True(VariableRules.CheckKey(new string('K', 255)).IsValid);
        Assert.Contains("255", VariableRules.CheckKey(new string('K', 256)).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("multi\nline\r\nvalue", true)]
    [InlineData("has\0nul", false)]
    public void CheckValue_Table(string value, bool isValid) => Assert.Equal(isValid, VariableRules.CheckValue(value).IsValid);

    [Fact]
    public void CheckValue_Size_CountsUtf8Bytes()
    {
        Assert.True(VariableRules.CheckValue(new string('é', VariableRules.MaxValueBytes / 2)).IsValid);
        Assert.False(VariableRules.CheckValue(new string('é', (VariableRules.MaxValueBytes / 2) + 1)).IsValid);
    }

    public static TheoryData<string, string, string> Expansions => new()
    {
        { "B", "x-${A}-y", "x-1-y" },
        { "B", "$(id) and $A and ${MISSING}", "$(id) and $A and ${MISSING}" },
        { "B", "$${A}", "${A}" },
        { "C", "${B}${A}", "x1" },
        { "B", "${A", "${A" },
    };

    [Theory]
    [MemberData(nameof(Expansions))]
    public void Expand_Table(string key, string value, string expected)
    {
        var variables = new Dictionary<string, string> { ["A"] = "1", ["B"] = "x", ["INJ"] = "${A}" };
        variables[key] = value;

        Assert.Equal(expected, VariableExpansion.Expand(variables)[key]);
    }

    [Fact]
    public void Expand_SubstitutedText_NotScannedAgain()
    {
        // LITERAL's value is "$${A}" → "${A}" after expansion; OTHER brings it in as text, which is not expanded a second time.
        var expanded = VariableExpansion.Expand(new Dictionary<string, string> { ["A"] = "1", ["LITERAL"] = "$${A}", ["OTHER"] = "<${LITERAL}>" });

        Assert.Equal("<${A}>", expanded["OTHER"]);
    }

    [Fact]
    public void Expand_SelfReference_RefusedAsCycle()
    {
        var ex = Assert.Throws<VariableExpansionException>(() => VariableExpansion.Expand(new Dictionary<string, string> { ["A"] = "${A}" }));
        Assert.Contains("A → A", ex.Message, StringComparison.Ordinal);
    }
}
