using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Logs;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Shared.Fakes;

namespace MiniPaas.Tests.Logs;

/// <summary>The writer, query and retention against a real PostgreSQL database (no containers).</summary>
public sealed class RuntimeLogStoreTests : IAsyncLifetime
{
    private string _connectionString = null!;
    private RuntimeLogHost _host = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await (await PostgresFixture.GetAsync()).CreateDatabaseAsync("logs_store");
        using var engine = new DockerEngineFixture();
        _host = await RuntimeLogHost.StartAsync(
            _connectionString,
            engine.Endpoint,
            new FixedSecretValues(),
            new Dictionary<string, string?> { ["MiniPaas:Retention:LogMaxLinesPerProject"] = "1000", ["MiniPaas:Retention:LogDeleteBatchSize"] = "100" });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Query_LevelAndTextFilters_IgnoreAnsiAndEscapeWildcards()
    {
        var (projectId, deploymentId) = await LogTestApps.SeedDeploymentAsync(_connectionString, "query");
        var writer = _host.Services.GetRequiredService<RuntimeLogWriter>();
        var now = DateTimeOffset.UtcNow;
        writer.Write(projectId, deploymentId, now, "stdout", null, "plain 100% done");
        writer.Write(projectId, deploymentId, now, "stdout", LogLevels.Error, "\u001b[31mERR\u001b[0mOR disk full");
        writer.Write(projectId, deploymentId, now, "stdout", LogLevels.Debug, "debug 100_ items");
        await WaitUntilStoredAsync(writer);

        var query = _host.Query;
        Assert.Equal(["\u001b[31mERR\u001b[0mOR disk full"], (await query.ReadAsync(new RuntimeLogFilter(ProjectId: projectId, Text: "error disk"))).Select(l => l.Text));
        Assert.Equal(["plain 100% done"], (await query.ReadAsync(new RuntimeLogFilter(ProjectId: projectId, Text: "100%"))).Select(l => l.Text));
        Assert.Equal(["debug 100_ items"], (await query.ReadAsync(new RuntimeLogFilter(ProjectId: projectId, Text: "100_"))).Select(l => l.Text));
        Assert.Equal(2, (await query.ReadAsync(new RuntimeLogFilter(DeploymentId: deploymentId, MinLevel: "info"))).Count);
        Assert.Single(await query.ReadAsync(new RuntimeLogFilter(DeploymentId: deploymentId, MinLevel: "warn")));
        var newest = await query.ReadAsync(new RuntimeLogFilter(DeploymentId: deploymentId, Limit: 2, Newest: true));
        Assert.Equal(["\u001b[31mERR\u001b[0mOR disk full", "debug 100_ items"], newest.Select(l => l.Text));
    }

    [Fact]
    public async Task Retention_OverMaxLinesAndAge_DeletesOldestInBatches()
    {
        var (projectId, deploymentId) = await LogTestApps.SeedDeploymentAsync(_connectionString, "retention");
        var writer = _host.Services.GetRequiredService<RuntimeLogWriter>();
        var old = DateTimeOffset.UtcNow.AddDays(-30);
        for (var i = 0; i < 50; i++)
        {
            writer.Write(projectId, deploymentId, old, "stdout", null, $"ancient {i}");
        }

        for (var i = 0; i < 1_500; i++)
        {
            writer.Write(projectId, deploymentId, DateTimeOffset.UtcNow, "stdout", null, $"recent {i}");
        }

        await WaitUntilStoredAsync(writer);
        var deleted = await _host.Services.GetRequiredService<RuntimeLogRetention>().SweepAsync();

        Assert.Equal(550, deleted);
        var kept = await _host.Query.ReadAsync(new RuntimeLogFilter(ProjectId: projectId, Limit: 10_000));
        Assert.Equal(Enumerable.Range(500, 1_000).Select(i => $"recent {i}"), kept.Select(l => l.Text));
    }

    private static async Task WaitUntilStoredAsync(RuntimeLogWriter writer)
    {
        for (var i = 0; i < 200 && writer.UnsavedCount > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, writer.UnsavedCount);
    }
}
