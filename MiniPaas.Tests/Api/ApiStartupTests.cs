using MiniPaas.Core.Configuration;
using MiniPaas.Core.Networking;
using MiniPaas.Web.Api;
using MiniPaas.Web.Hosting;

namespace MiniPaas.Tests.Api;

public sealed class ApiStartupTests
{
    [Fact]
    public async Task RealHost_ShortConfiguredToken_ReportedWithTheOtherProblemsWithoutTheToken()
    {
        var args = new[]
        {
            "--MiniPaas:Api:Tokens:0=tooshort-secret", "--MiniPaas:Docker:Endpoint=foo",
            "--urls=http://127.0.0.1:" + LoopbackPort.Free(),
        };
        using var error = new StringWriter();

        var code = await StartupFailure.GuardAsync(async () =>
        {
            var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { Args = args, ApplicationName = "MiniPaas.Web" });
            builder.AddMiniPaasCore();
            builder.AddMiniPaasWeb();
            builder.AddMiniPaasApi();
            await using var app = builder.Build();
            app.MapMiniPaasWeb();
            app.MapMiniPaasApi();
            await app.StartAsync();
        }, error);

        Assert.Equal(1, code);
        Assert.Contains("MiniPaas:Api:Tokens:0 must be at least 24 characters", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Docker:Endpoint", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("tooshort-secret", error.ToString(), StringComparison.Ordinal);
    }
}
