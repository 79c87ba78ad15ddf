using MiniPaas.Core.Projects;

namespace MiniPaas.Tests.Projects;

public sealed class SubdomainRulesTests
{
    [Theory]
    [InlineData("myapp")]
    [InlineData("my-app-2")]
    [InlineData("a")]
    [InlineData("0day")]
    [InlineData("a-b")]
    [InlineData("a--b")]
    public void Check_ValidLabel_Accepted(string subdomain) => Assert.Null(SubdomainRules.Check(subdomain));

    [Fact]
    public void Check_63Characters_AcceptedAnd64Refused()
    {
        Assert.Null(SubdomainRules.Check(new string('a', 63)));
        Assert.Contains("at most 63", SubdomainRules.Check(new string('a', 64)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../admin", "lowercase letters (a-z), digits and '-'")]
    [InlineData("Admin", "lowercase")]
    [InlineData("a--", "start or end with '-'")]
    [InlineData("-a", "start or end with '-'")]
    [InlineData("my_app", "digits and '-'")]
    [InlineData("my.app", "digits and '-'")]
    [InlineData("my app", "digits and '-'")]
    [InlineData("\u00e9t\u00e9", "digits and '-'")]
    [InlineData("xn--80ak6aa92e", "xn--")]
    [InlineData("admin", "reserved")]
    [InlineData("www", "reserved")]
    [InlineData("dashboard", "reserved")]
    [InlineData("traefik", "reserved")]
    [InlineData("", "Enter a subdomain")]
    [InlineData(null, "Enter a subdomain")]
    public void Check_InvalidLabel_RefusedWithReason(string? subdomain, string expected) =>
        Assert.Contains(expected, SubdomainRules.Check(subdomain), StringComparison.Ordinal);

    [Fact]
    public void Check_DashboardHostFirstLabel_Reserved()
    {
        Assert.Null(SubdomainRules.Check("panel"));
        Assert.Contains("reserved", SubdomainRules.Check("panel", "panel.localhost:3000"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("My App", "my-app")]
    [InlineData("  Hello__World!! 2  ", "hello-world-2")]
    [InlineData("../admin", "admin-app")]
    [InlineData("Admin", "admin-app")]
    [InlineData("a--", "a")]
    [InlineData("---", "project")]
    [InlineData("", "project")]
    [InlineData("Caf\u00e9 Shop", "caf-shop")]
    [InlineData("xn--abc", "xn-abc")]
    public void Suggest_ProjectName_ValidSubdomain(string name, string expected)
    {
        var suggestion = SubdomainRules.Suggest(name);
        Assert.Equal(expected, suggestion);
        Assert.Null(SubdomainRules.Check(suggestion));
    }

    [Fact]
    public void Suggest_LongName_TruncatedTo63WithoutTrailingHyphen()
    {
        var suggestion = SubdomainRules.Suggest(new string('a', 62) + " b" + new string('c', 20));
        Assert.Equal(new string('a', 62), suggestion);
        Assert.Null(SubdomainRules.Check(suggestion));
        Assert.Equal(63, SubdomainRules.Suggest(new string('x', 100)).Length);
    }
}
