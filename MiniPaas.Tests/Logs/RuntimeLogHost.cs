using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying.Docker;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;

namespace MiniPaas.Tests.Logs;

/// <summary>
/// The runtime log part of MiniPaas as its own host (writer, attacher, query, retention) on a real database and the real engine,
/// so a test can stop it mid-stream and start a new one on the same state, as a MiniPaas restart would.
/// </summary>
internal sealed class RuntimeLogHost : IAsyncDisposable
{
    private readonly IHost _host;

    private RuntimeLogHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public RuntimeLogQuery Query => Services.GetRequiredService<RuntimeLogQuery>();

    public static async Task<RuntimeLogHost> StartAsync(
        string connectionString, string dockerEndpoint, ISecretValues secrets, IDictionary<string, string?>? settings = null)
    {
        var sequences = new LogSequences();
        await DatabaseStartup.MigrateAndSeedAsync(connectionString, sequences, NullLogger.Instance, CancellationToken.None);
        var dbFactory = new FixedDbContextFactory(connectionString);
        var installation = new Installation();
        await using (var db = dbFactory.CreateDbContext())
        {
            await installation.LoadOrCreateAsync(db, TimeProvider.System, CancellationToken.None);
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IDbContextFactory<MiniPaasDbContext>>(dbFactory);
        builder.Services.AddSingleton(sequences);
        builder.Services.AddSingleton(installation);
        builder.Services.AddSingleton(secrets);
        builder.Services.AddSingleton(new DockerClientProvider(Options.Create(new DockerOptions { Endpoint = dockerEndpoint })));
        builder.AddMiniPaasLogs();
        var host = builder.Build();
        await host.StartAsync();
        return new RuntimeLogHost(host);
    }

    public static async Task<string> InstanceIdAsync(string connectionString)
    {
        var installation = new Installation();
        await using var db = new FixedDbContextFactory(connectionString).CreateDbContext();
        await installation.LoadOrCreateAsync(db, TimeProvider.System, CancellationToken.None);
        return await installation.IdAsync;
    }

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
