using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared.Fakes;
using MiniPaas.Web.Hosting;

namespace MiniPaas.Tests.Web;

/// <summary>
/// ASP.NET Core starts an Activity and a logging scope per request while its hosting log category is enabled; MiniPaas
/// turns that category off so proxied requests do not pay for it. Other logging stays on.
/// </summary>
/// <remarks>
/// Runs alone: these tests read the levels the host's logging ends up with, and a host of the same Program being built in
/// parallel can lend its configuration to this one (WebApplicationFactory finds the host through a process-wide listener).
/// </remarks>
[Collection(SoloAppTests.Name)]
public sealed class RequestDiagnosticsTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "minipaas-diag-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ActivityProbe _probe = new();

    [Fact]
    public async Task Request_MiniPaasApp_RunsWithoutHostingActivity()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.True(_probe.Seen);
        Assert.Null(_probe.Activity);
        Assert.Null(_probe.ActivityFeature);
    }

    [Fact]
    public async Task Logging_MiniPaasApp_HostingCategoryOffOthersOn()
    {
        await using var factory = CreateFactory();
        var loggers = factory.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger(WebHostingExtensions.HostingDiagnosticsCategory).IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
        // Warning, not Information: what matters here is that switching the hosting category off leaves other sources on.
        Assert.True(loggers.CreateLogger("MiniPaas.Core.Deploying.DeploymentPipeline").IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public async Task Logging_MiniPaasApp_YarpPerRequestLinesOffItsWarningsOn()
    {
        await using var factory = CreateFactory();
        var loggers = factory.Services.GetRequiredService<ILoggerFactory>();
        var forwarder = loggers.CreateLogger("Yarp.ReverseProxy.Forwarder.HttpForwarder");

        // "Proxying to …" and "Received HTTP/1.1 response …" are Information lines written for every proxied request.
        Assert.False(forwarder.IsEnabled(LogLevel.Information));
        Assert.True(forwarder.IsEnabled(LogLevel.Warning));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    private WebApplicationFactory<Program> CreateFactory() => new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
    {
        builder.UseSetting("MiniPaas:DataDirectory", _dataDirectory);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IEngineStatus>(FakeEngineStatus.Connected());
            services.AddSingleton<IDatabaseInfo>(FakeDatabaseInfo.Configured());
            services.AddSingleton<IStartupFilter>(_probe);
        });
    });

    /// <summary>Runs first in the pipeline and records what the hosting layer set up for the request.</summary>
    private sealed class ActivityProbe : IStartupFilter
    {
        public bool Seen { get; private set; }

        public Activity? Activity { get; private set; }

        public IHttpActivityFeature? ActivityFeature { get; private set; }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                Seen = true;
                Activity = Activity.Current;
                ActivityFeature = context.Features.Get<IHttpActivityFeature>();
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
