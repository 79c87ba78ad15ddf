using MiniPaas.Core.ApiTokens;

namespace MiniPaas.Tests.Api;

public sealed class ApiOptionsValidatorTests
{
    [Fact]
    public void Validate_ShortAndSpacedTokens_ReportsEachWithoutEchoingIt()
    {
        var options = new ApiOptions { Tokens = ["short-secret", "has a space inside it, long enough", new string('x', 32)] };

        var result = new ApiOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.Contains("Tokens:0", StringComparison.Ordinal) && f.Contains("24", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("Tokens:1", StringComparison.Ordinal) && f.Contains("whitespace", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Failures!, f => f.Contains("short-secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NoTokens_Succeeds() =>
        Assert.True(new ApiOptionsValidator().Validate(null, new ApiOptions()).Succeeded);
}
