using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using MiniPaas.Core.Networking;

namespace MiniPaas.Tests.Persistence;

public sealed class PersistenceStartupTests
{
    [Fact]
    public async Task StartHost_ConfiguredDatabase_MigratesSeedsSequencesAndServesContexts()
    {
        var fixture = await PostgresFixture.GetAsync();
        var factory = (FixedDbContextFactory)await fixture.CreateMigratedContextFactoryAsync(nameof(PersistenceStartupTests));
        await using (var db = factory.CreateDbContext())
        {
            var project = new ProjectRecord { Name = "p", Subdomain = "p", SourceUrl = "file:///p" };
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            var deployment = new DeploymentRecord { ProjectId = project.Id };
            db.Deployments.Add(deployment);
            await db.SaveChangesAsync();
            db.BuildLogs.Add(new BuildLogRecord { Seq = 41, DeploymentId = deployment.Id, Line = "x" });
            db.RuntimeLogs.Add(new RuntimeLogRecord { Seq = 500, ProjectId = project.Id, DeploymentId = deployment.Id, Stream = "stdout", Line = "y" });
            db.RequestEventHighWater.Add(new RequestEventHighWaterRecord { Id = RequestEventHighWaterRecord.SingletonId, LastSeq = 7_000 });
            await db.SaveChangesAsync();
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MiniPaas:Database:ConnectionString"] = factory.ConnectionString });
        builder.AddMiniPaasCore();
        using var host = builder.Build();
        var info = host.Services.GetRequiredService<IDatabaseInfo>();
        Assert.Null(info.Current);

        await host.StartAsync();
        try
        {
            Assert.Equal(DatabaseSource.Configured, info.Current?.Source);
            Assert.True(await info.IsReachableAsync());
            var sequences = host.Services.GetRequiredService<LogSequences>();
            Assert.Equal(42, sequences.BuildLogs.Next());
            Assert.Equal(501, sequences.RuntimeLogs.Next());
            Assert.Equal(7_001, sequences.Analytics.Next());
            var contexts = host.Services.GetRequiredService<IDbContextFactory<MiniPaasDbContext>>();
            await using var db = await contexts.CreateDbContextAsync();
            Assert.Equal("p", (await db.Projects.SingleAsync()).Name);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task StartHost_UnreachableConfiguredDatabase_FailsWithDatabaseUnavailable()
    {
        var builder = Host.CreateApplicationBuilder();
        var port = LoopbackPort.Free();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MiniPaas:Database:ConnectionString"] = $"Host=127.0.0.1;Port={port};Password=pw" });
        builder.AddMiniPaasCore();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<DatabaseUnavailableException>(() => host.StartAsync());

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        var contexts = host.Services.GetRequiredService<IDbContextFactory<MiniPaasDbContext>>();
        await Assert.ThrowsAsync<DatabaseUnavailableException>(() => contexts.CreateDbContextAsync());
        Assert.False(await host.Services.GetRequiredService<IDatabaseInfo>().IsReachableAsync());
    }
}
