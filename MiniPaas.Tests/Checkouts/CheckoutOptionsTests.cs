using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniPaas.Core.Building;
using MiniPaas.Core.Checkouts;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Tests.Checkouts;

public sealed class CheckoutOptionsTests
{
    [Theory]
    [InlineData(1023, false)]
    [InlineData(1024, true)]
    [InlineData(CheckoutFiles.DefaultMaxFileBytes, true)]
    [InlineData(256L * 1024 * 1024 + 1, false)]
    public void BuilderValidator_MaxCheckoutFileBytes_Bounded(long bytes, bool valid)
    {
        var result = new BuilderOptionsValidator().Validate(null, new BuilderOptions { MaxCheckoutFileBytes = bytes });

        Assert.Equal(valid, result.Succeeded);
        Assert.True(valid || result.FailureMessage!.Contains("MiniPaas:Builder:MaxCheckoutFileBytes", StringComparison.Ordinal));
    }

    [Fact]
    public void AddMiniPaasCore_MaxCheckoutFileBytesSetting_ReachesTheDetector()
    {
        Assert.Equal(1024 * 1024, new BuilderOptions().MaxCheckoutFileBytes);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration["MiniPaas:Builder:MaxCheckoutFileBytes"] = "4096";
        builder.AddMiniPaasCore();
        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal(4096, services.GetRequiredService<StackDetector>().MaxFileBytes);
    }
}
