using System.Globalization;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Logs;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Shared.Fakes;
using Npgsql;

namespace MiniPaas.Tests.Logs;

/// <summary>Runtime log capture against real containers and a real database: exactly once across restarts, masking, rate limits.</summary>
[Trait("Requires", "Docker")]
public sealed class ContainerLogCaptureTests(DockerEngineFixture engine) : IClassFixture<DockerEngineFixture>, IAsyncLifetime
{
    private readonly FixedSecretValues _secrets = new();
    private LogTestApps _apps = null!;
    private string _connectionString = null!;
    private string _instanceId = null!;

    public async Task InitializeAsync()
    {
        _apps = new LogTestApps(engine);
        _connectionString = await (await PostgresFixture.GetAsync()).CreateDatabaseAsync("logs_capture");
        await using (var host = await RuntimeLogHost.StartAsync(_connectionString, engine.Endpoint, _secrets))
        {
            // Migrates the database and creates the installation id the containers are labelled with.
        }

        _instanceId = await RuntimeLogHost.InstanceIdAsync(_connectionString);
    }

    public async Task DisposeAsync() => await _apps.DisposeAsync();

    [Fact]
    public async Task Attacher_HundredThousandLinesWithMiniPaasRestartMidStream_StoresEachLineOnceInOrder()
    {
        const int count = 100_000;
        var (projectId, deploymentId) = await LogTestApps.SeedDeploymentAsync(_connectionString, "hundredk");
        var settings = new Dictionary<string, string?> { ["MiniPaas:Logs:RateLimitLinesPerSecond"] = "1000000", ["MiniPaas:Logs:RateLimitBurst"] = "1000000" };
        var first = await RuntimeLogHost.StartAsync(_connectionString, engine.Endpoint, _secrets, settings);
        var containerId = await _apps.StartAsync(_instanceId, projectId, deploymentId, count, pauseEvery: 2_000, pauseMicros: 100_000);

        var inspected = await engine.Client.Containers.InspectContainerAsync(containerId);
        Assert.Equal("json-file", inspected.HostConfig.LogConfig.Type);
        Assert.Equal("50m", inspected.HostConfig.LogConfig.Config["max-size"]);

        // Stop "MiniPaas" while the container is still writing, then start a new one on the same database.
        await WaitForAsync(async () => await CountAsync(deploymentId) >= 10_000, TimeSpan.FromMinutes(2), "10,000 lines stored before the restart");
        await first.DisposeAsync();
        var storedAtStop = await CountAsync(deploymentId);
        Assert.True(storedAtStop < count, $"the restart must happen mid-stream, but all {storedAtStop} lines were already stored");
        await Task.Delay(1_000);

        await using var second = await RuntimeLogHost.StartAsync(_connectionString, engine.Endpoint, _secrets, settings);
        await WaitForAsync(async () => await CountAsync(deploymentId) >= count + 1, TimeSpan.FromMinutes(3), "all lines stored after the restart");
        await Task.Delay(1_500);

        var lines = await ReadStdoutAsync(deploymentId);
        Assert.Equal(count + 1, lines.Count);
        var numbered = lines.Where(l => l.StartsWith("line ", StringComparison.Ordinal)).Select(l => int.Parse(l[5..], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(count, numbered.Count);
        Assert.Equal(Enumerable.Range(1, count), numbered);
        Assert.Equal("done writing", lines[^1]);
    }

    [Fact]
    public async Task Attacher_ContainerRestarts_ContinuesWithoutLossOrDuplicate()
    {
        var (projectId, deploymentId) = await LogTestApps.SeedDeploymentAsync(_connectionString, "restarts");
        await using var host = await RuntimeLogHost.StartAsync(_connectionString, engine.Endpoint, _secrets);
        var containerId = await _apps.StartAsync(_instanceId, projectId, deploymentId, count: 300);
        await WaitForAsync(async () => (await ReadStdoutAsync(deploymentId)).Contains("done writing"), TimeSpan.FromMinutes(1), "first run logged");

        await engine.Client.Containers.RestartContainerAsync(containerId, new ContainerRestartParameters { WaitBeforeKillSeconds = 1 });
        await WaitForAsync(async () => (await ReadStdoutAsync(deploymentId)).Count(l => l == "done writing") == 2, TimeSpan.FromMinutes(1), "second run logged");
        await Task.Delay(1_500);

        var lines = await ReadStdoutAsync(deploymentId);
        var expectedRun = Enumerable.Range(1, 300).Select(i => $"line {i}").Append("done writing").ToList();
        Assert.Equal(expectedRun.Concat(expectedRun), lines);
    }

    [Fact]
    public async Task Attacher_SecretInOutput_NeverStoredOrPublished()
    {
        const string secret = "s3cr3t-Value-9f8e7d";
        var (projectId, deploymentId) = await LogTestApps.SeedDeploymentAsync(_connectionString, "secrets");
        _secrets.Set(projectId, secret, "abc");
        await using var host = await RuntimeLogHost.StartAsync(_connectionString, engine.Endpoint, _secrets);
        var published = new List<RuntimeLogLine>();
        using var cts = new CancellationTokenSource();
        var feed = host.Services.GetRequiredService<RuntimeLogFeed>();
        var watching = Task.Run(async () =>
        {
            await foreach (var batch in feed.WatchAsync(deploymentId, cts.Token))
            {
                lock (published)
                {
                    published.AddRange(batch);
                }
            }
        });

        await _apps.StartAsync(_instanceId, projectId, deploymentId, count: 3, secret: secret);
        await WaitForAsync(async () => (await ReadStdoutAsync(deploymentId)).Contains("done writing"), TimeSpan.FromMinutes(1), "lines logged");
        await cts.CancelAsync();
        await watching;

        var stored = await host.Query.ReadAsync(new RuntimeLogFilter(DeploymentId: deploymentId, Limit: 100));
        Assert.Contains(stored, l => l.Text == "connecting with token ***");
        Assert.Contains(stored, l => l.Text == "oops ***" && l.Stream == RuntimeLogLine.StderrStream && l.Level == LogLevels.Error);
        Assert.DoesNotContain(stored, l => l.Text.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(published, l => l.Text.Contains(secret, StringComparison.Ordinal));
        Assert.Contains(published, l => l.Text == "connecting with token ***");
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM runtime_logs WHERE position(@secret in line) > 0", connection);
        command.Parameters.AddWithValue("secret", secret);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Attacher_FloodingApp_IsRateLimitedWithDropsCountedWhileQuietAppArrivesWhole()
    {
        const int floodCount = 60_000;
        var (floodProject, floodDeployment) = await LogTestApps.SeedDeploymentAsync(_connectionString, "flood");
        var (quietProject, quietDeployment) = await LogTestApps.SeedDeploymentAsync(_connectionString, "quiet");
        var settings = new Dictionary<string, string?> { ["MiniPaas:Logs:RateLimitLinesPerSecond"] = "500", ["MiniPaas:Logs:RateLimitBurst"] = "1000" };
        await using var host = await RuntimeLogHost.StartAsync(_connectionString, engine.Endpoint, _secrets, settings);
        await _apps.StartAsync(_instanceId, floodProject, floodDeployment, floodCount);
        await _apps.StartAsync(_instanceId, quietProject, quietDeployment, count: 200, pauseEvery: 10, pauseMicros: 50_000);

        await WaitForAsync(async () => (await ReadStdoutAsync(quietDeployment)).Contains("done writing"), TimeSpan.FromMinutes(2), "quiet app logged");
        await WaitForAsync(
            async () => await StoredStdoutAsync(floodDeployment) + await host.Query.DroppedAsync(floodDeployment) >= floodCount + 1,
            TimeSpan.FromMinutes(2),
            "every flood line stored or counted as dropped");

        var quiet = await ReadStdoutAsync(quietDeployment);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => $"line {i}").Append("done writing"), quiet);
        var dropped = await host.Query.DroppedAsync(floodDeployment);
        var stored = await StoredStdoutAsync(floodDeployment);
        Assert.True(dropped > 0, "the flood was not rate-limited");
        Assert.True(stored >= 1_000, $"the burst allowance should have been stored, got {stored}");
        // Every line the app wrote ("line 1" … and "done writing") is either stored or counted as dropped.
        Assert.Equal(floodCount + 1, stored + dropped);
        var notices = await host.Query.ReadAsync(new RuntimeLogFilter(DeploymentId: floodDeployment, Text: "lines dropped", Limit: 1000));
        Assert.NotEmpty(notices);
        Assert.All(notices, n => Assert.Equal(RuntimeLogLine.NoticeStream, n.Stream));
    }

    private async Task<long> CountAsync(long deploymentId)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM runtime_logs WHERE deployment_id = @d AND stream <> 'minipaas'", connection);
        command.Parameters.AddWithValue("d", deploymentId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> StoredStdoutAsync(long deploymentId)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM runtime_logs WHERE deployment_id = @d AND stream = 'stdout'", connection);
        command.Parameters.AddWithValue("d", deploymentId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<string>> ReadStdoutAsync(long deploymentId)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT line FROM runtime_logs WHERE deployment_id = @d AND stream = 'stdout' ORDER BY seq", connection);
        command.Parameters.AddWithValue("d", deploymentId);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for: {what}");
            }

            await Task.Delay(250);
        }
    }
}
