using System.Security.Cryptography;
using System.Text;
using MiniPaas.Core.GitHub;
using MiniPaas.Core.GitHub.Webhooks;
using MiniPaas.Web.GitHub;

namespace MiniPaas.Tests.GitHub;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("s3cret");
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main"}""");

    [Fact]
    public void IsValid_SignatureOfBody_True() =>
        Assert.True(WebhookSignature.IsValid("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Secret, Body)), Body, Secret));

    [Fact]
    public void IsValid_UppercaseHex_True() =>
        Assert.True(WebhookSignature.IsValid("sha256=" + Convert.ToHexString(HMACSHA256.HashData(Secret, Body)), Body, Secret));

    [Fact]
    public void IsValid_OtherBody_False() =>
        Assert.False(WebhookSignature.IsValid(WebhookSignature.Compute(Encoding.UTF8.GetBytes("{}"), Secret), Body, Secret));

    [Fact]
    public void IsValid_OtherSecret_False() =>
        Assert.False(WebhookSignature.IsValid(WebhookSignature.Compute(Body, Encoding.UTF8.GetBytes("other")), Body, Secret));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha256=zz")]
    [InlineData("sha256=0123")]
    public void IsValid_Malformed_False(string? header) => Assert.False(WebhookSignature.IsValid(header, Body, Secret));

    [Fact]
    public void IsValid_Sha1Signature_False()
    {
#pragma warning disable CA5350 // The point: GitHub's legacy sha1 signature must be refused.
        var sha1 = "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Secret, Body));
#pragma warning restore CA5350
        Assert.False(WebhookSignature.IsValid(sha1, Body, Secret));
    }
}

public sealed class RepositoryKeyTests
{
    [Theory]
    [InlineData("https://github.com/Octo/App.git", "github.com/octo/app")]
    [InlineData("https://github.com/octo/app", "github.com/octo/app")]
    [InlineData("https://github.com/octo/app/", "github.com/octo/app")]
    [InlineData("git@github.com:octo/app.git", "github.com/octo/app")]
    [InlineData("ssh://git@github.com/octo/app.git", "github.com/octo/app")]
    [InlineData("http://127.0.0.1:4000/octo/app.git", "127.0.0.1:4000/octo/app")]
    public void Of_AddressForms_SameKey(string address, string key) => Assert.Equal(key, RepositoryKey.Of(address));

    [Fact]
    public void IsRepository_DifferentOwner_False()
    {
        var push = new PushEvent("refs/heads/main", "abc", false, null, ["https://github.com/octo/app.git"]);
        Assert.True(push.IsRepository("https://github.com/octo/app"));
        Assert.False(push.IsRepository("https://github.com/evil/app"));
        Assert.False(push.IsRepository("https://github.com/octo/app-two"));
    }
}

public sealed class LocalReturnUrlTests
{
    [Theory]
    [InlineData("/projects", "/projects")]
    [InlineData("/projects/3?tab=1", "/projects/3?tab=1")]
    [InlineData("~/system", "/system")]
    [InlineData("https://evil.example", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("~//evil.example", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("/auth/github", "/")]
    [InlineData("/login?returnUrl=/x", "/")]
    [InlineData("/x\r\nSet-Cookie: a=b", "/")]
    [InlineData(null, "/")]
    public void Sanitize_KeepsOnlyLocalPaths(string? input, string expected) => Assert.Equal(expected, LocalReturnUrl.Sanitize(input));
}

public sealed class GitHubOptionsValidatorTests
{
    [Fact]
    public void Validate_NotConfigured_Valid() => Assert.True(new GitHubOptionsValidator().Validate(null, new GitHubOptions()).Succeeded);

    [Fact]
    public void Validate_ClientIdWithoutSecretOrAllowList_ReportsBoth()
    {
        var result = new GitHubOptionsValidator().Validate(null, new GitHubOptions { ClientId = "id" });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("ClientSecret", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("AllowedUsers", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadEndpointAndInterval_Reported()
    {
        var result = new GitHubOptionsValidator().Validate(
            null, new GitHubOptions { TokenEndpoint = "not a url", PollInterval = TimeSpan.Zero, WebhookSafetyPollInterval = TimeSpan.Zero });
        Assert.Equal(3, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("WebhookSafetyPollInterval", StringComparison.Ordinal));
    }

    [Fact]
    public void Lists_SplitOnCommasAndSpaces()
    {
        var options = new GitHubOptions { AllowedUsers = "alice, bob 42", AllowedOrgs = "acme" };
        Assert.Equal(["alice", "bob", "42"], options.AllowedUserList);
        Assert.Equal(["acme"], options.AllowedOrgList);
        Assert.Equal(new Uri("https://github.com/"), options.GitHost);
    }
}
