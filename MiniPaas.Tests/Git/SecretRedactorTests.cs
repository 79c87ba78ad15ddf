using System.Text;
using MiniPaas.Core.Git;

namespace MiniPaas.Tests.Git;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Redact_PlainEncodedAndBasicForms_AllMasked()
    {
        var redactor = new SecretRedactor(new GitCredentials("me", "p@ss word"));
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("me:p@ss word"));

        var text = redactor.Redact($"fatal: p@ss word / https://me:p%40ss%20word@host / Authorization: Basic {basic}");

        Assert.Equal("fatal: *** / https://me:***@host / Authorization: Basic ***", text);
    }

    [Fact]
    public void Redact_NoCredentials_Unchanged() =>
        Assert.Equal("hello", SecretRedactor.None.Redact("hello"));
}
