using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Web.Hosting;
using MiniPaas.Core.Networking;

namespace MiniPaas.Tests.Web;

public sealed class StartupFailureTests
{
    [Fact]
    public async Task GuardAsync_SeveralInvalidSections_PrintsEveryFailureOnOneLineAndReturns1()
    {
        var failures = new AggregateException(
            new OptionsValidationException("docker", typeof(DockerOptions), ["MiniPaas:Docker:Endpoint 'foo' must be a unix://, tcp:// or npipe:// URI."]),
            new OptionsValidationException("builder", typeof(BuilderOptions), ["MiniPaas:Builder:MaxConcurrentBuilds 0 must be between 1 and 32."]));
        using var error = new StringWriter();

        var code = await StartupFailure.GuardAsync(() => throw failures, error);

        Assert.Equal(1, code);
        var line = Assert.Single(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Invalid configuration: ", line, StringComparison.Ordinal);
        Assert.Contains("Docker:Endpoint", line, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrentBuilds", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuardAsync_PortInUse_PrintsOneLineAndReturns1()
    {
        using var error = new StringWriter();
        var bind = new IOException("Failed to bind to address http://127.0.0.1:3000: address already in use.", new SocketException((int)SocketError.AddressAlreadyInUse));

        var code = await StartupFailure.GuardAsync(() => throw bind, error);

        Assert.Equal(1, code);
        Assert.StartsWith("MiniPaas could not start: Failed to bind", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GuardAsync_UnknownException_Propagates()
    {
        using var error = new StringWriter();

        await Assert.ThrowsAsync<InvalidOperationException>(() => StartupFailure.GuardAsync(() => throw new InvalidOperationException("bug"), error));
        Assert.Empty(error.ToString());
    }

    [Fact]
    public async Task GuardAsync_RealHostWithBadConfiguration_ExitsWithOneLine()
    {
        // The real host: ValidateOnStart must surface every validator's failure through the guard.
        var args = new[]
        {
            "--MiniPaas:Docker:Endpoint=foo", "--MiniPaas:Builder:MaxConcurrentBuilds=0", "--MiniPaas:Ingress:Mode=Nginx",
            "--urls=http://127.0.0.1:" + LoopbackPort.Free(), "--MiniPaas:DataDirectory=",
        };
        using var error = new StringWriter();

        var code = await StartupFailure.GuardAsync(async () =>
        {
            var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(new Microsoft.AspNetCore.Builder.WebApplicationOptions { Args = args, ApplicationName = "MiniPaas.Web" });
            builder.AddMiniPaasCore();
            builder.AddMiniPaasWeb();
            await using var app = builder.Build();
            app.MapMiniPaasWeb();
            await app.StartAsync();
        }, error);

        Assert.Equal(1, code);
        Assert.Contains("Docker:Endpoint", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("MaxConcurrentBuilds", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Ingress:Mode", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("DataDirectory must not be empty", error.ToString(), StringComparison.Ordinal);
    }
}
