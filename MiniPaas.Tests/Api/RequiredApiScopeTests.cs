using Microsoft.AspNetCore.Http;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Web.Api.Authentication;

namespace MiniPaas.Tests.Api;

public sealed class RequiredApiScopeTests
{
    private static ApiScope For(RequiredApiScope required, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return required.For(context.Request);
    }

    [Theory]
    [InlineData("", ApiScope.Read)]
    [InlineData("?reveal=false", ApiScope.Read)]
    [InlineData("?reveal=False", ApiScope.Read)]
    [InlineData("?reveal=true", ApiScope.Admin)]
    [InlineData("?reveal=1", ApiScope.Admin)]
    [InlineData("?reveal=", ApiScope.Admin)]
    [InlineData("?reveal=false&reveal=true", ApiScope.Admin)]
    public void For_RevealQuery_AdminUnlessExplicitlyFalse(string query, ApiScope expected) =>
        Assert.Equal(expected, For(new RequiredApiScope(ApiScope.Read, ApiScope.Admin), query));

    [Fact]
    public void For_NoRevealScope_IgnoresTheQuery() =>
        Assert.Equal(ApiScope.Deploy, For(new RequiredApiScope(ApiScope.Deploy), "?reveal=true"));

    [Theory]
    [InlineData(ApiScope.Read, ApiScope.Read, true)]
    [InlineData(ApiScope.Read, ApiScope.Deploy, false)]
    [InlineData(ApiScope.Deploy, ApiScope.Read, true)]
    [InlineData(ApiScope.Deploy, ApiScope.Admin, false)]
    [InlineData(ApiScope.Admin, ApiScope.Deploy, true)]
    public void Allows_HigherScopeIncludesLower(ApiScope granted, ApiScope required, bool expected) =>
        Assert.Equal(expected, granted.Allows(required));

    [Theory]
    [InlineData("read", ApiScope.Read)]
    [InlineData("DEPLOY", ApiScope.Deploy)]
    [InlineData(" admin ", ApiScope.Admin)]
    public void TryParse_KnownNames(string name, ApiScope expected)
    {
        Assert.True(ApiScopes.TryParse(name, out var scope));
        Assert.Equal(expected, scope);
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_UnknownName_False(string? name) => Assert.False(ApiScopes.TryParse(name, out _));
}
