using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Deploying.Docker;

namespace MiniPaas.Tests.Deploying.Docker;

public sealed class DockerHostingExtensionsTests
{
    [Fact]
    public async Task AddMiniPaasDocker_EngineDown_HostStartsAndReportsDisconnected()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.Configure<DockerOptions>(o =>
        {
            o.Endpoint = "unix:///tmp/nope.sock";
            o.ProbeInterval = TimeSpan.FromMilliseconds(100);
        });
        builder.AddMiniPaasDocker();
        using var host = builder.Build();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await host.StartAsync(cts.Token);
        try
        {
            var status = host.Services.GetRequiredService<IEngineStatus>();
            Assert.Same(host.Services.GetRequiredService<DockerEngineMonitor>(), status);
            Assert.Contains(host.Services.GetServices<IHostedService>(), s => ReferenceEquals(s, status));
            Assert.IsType<DockerContainerRuntime>(host.Services.GetRequiredService<IContainerRuntime>());

            await foreach (var reading in status.WatchAsync(cts.Token))
            {
                if (reading.Error?.Contains("not reachable", StringComparison.Ordinal) == true)
                {
                    break;
                }
            }

            Assert.False(status.Current.IsConnected);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
