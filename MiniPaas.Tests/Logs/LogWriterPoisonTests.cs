using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Shared.Fakes;
using MiniPaas.Web.Components.Logs;
using MudBlazor.Services;

namespace MiniPaas.Tests.Logs;

/// <summary>
/// The build and runtime log writers on a real database: rows PostgreSQL refuses for good (their deployment deleted while they
/// waited in the buffer, a NUL byte) are dropped and counted, and every other project's lines keep being saved.
/// Time is fake, so the lines really are still buffered when the deployment goes.
/// </summary>
public sealed class LogWriterPoisonTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-03T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private FixedDbContextFactory _contexts = null!;

    public async Task InitializeAsync() =>
        _contexts = (FixedDbContextFactory)await (await PostgresFixture.GetAsync()).CreateMigratedContextFactoryAsync("log_poison");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task BuildLogRecorder_DeploymentDeletedWhileLinesBuffered_OtherProjectKeepsSaving()
    {
        var (_, doomed) = await LogTestApps.SeedDeploymentAsync(_contexts.ConnectionString, "doomed");
        var (_, other) = await LogTestApps.SeedDeploymentAsync(_contexts.ConnectionString, "other");
        using var recorder = new BuildLogRecorder(
            _contexts, new BuildLogFeed(), new LogSequences(), new SecretMaskerCache(new FixedSecretValues(), _time), _time, NullLogger<BuildLogRecorder>.Instance);
        await recorder.StartAsync(CancellationToken.None);
        try
        {
            for (var i = 0; i < 50; i++)
            {
                recorder.Write(doomed, $"doomed {i}");
                recorder.Write(other, $"other {i}");
            }

            await DeleteDeploymentAsync(doomed);
            await FlushUntilAsync(async () => await StoredBuildLinesAsync(other) == 50);
            recorder.Write(other, "after the poison batch");
            await FlushUntilAsync(async () => await StoredBuildLinesAsync(other) == 51);

            Assert.Equal(50, recorder.Rejected);
            Assert.Equal(0, await StoredBuildLinesAsync(doomed));
            Assert.Empty(await recorder.ReadAsync(doomed));
            Assert.Equal("after the poison batch", (await recorder.ReadAsync(other))[^1].Text);
            await using var ui = new BunitContext();
            ui.Services.AddMudServices();
            ui.Services.AddLogStorageForComponents(buildLogs: recorder);
            ui.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: false));
            Assert.Equal("50", ui.Render<LogStorageCard>().Find("[data-testid=build-lines-rejected]").TextContent.Trim());
        }
        finally
        {
            await recorder.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task BuildLogRecorder_LineWithNulByte_OnlyThatLineDropped()
    {
        var (_, deployment) = await LogTestApps.SeedDeploymentAsync(_contexts.ConnectionString, "nul");
        using var recorder = new BuildLogRecorder(
            _contexts, new BuildLogFeed(), new LogSequences(), new SecretMaskerCache(new FixedSecretValues(), _time), _time, NullLogger<BuildLogRecorder>.Instance);
        await recorder.StartAsync(CancellationToken.None);
        try
        {
            for (var i = 0; i < 40; i++)
            {
                recorder.Write(deployment, i == 17 ? "bad \0 line" : $"line {i}");
            }

            await FlushUntilAsync(async () => await StoredBuildLinesAsync(deployment) == 39);

            Assert.Equal(1, recorder.Rejected);
            Assert.Equal(39, (await recorder.ReadAsync(deployment)).Count);
        }
        finally
        {
            await recorder.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task RuntimeLogWriter_DeploymentDeletedAndNulLine_OtherLinesStored()
    {
        var (doomedProject, doomed) = await LogTestApps.SeedDeploymentAsync(_contexts.ConnectionString, "rdoomed");
        var (otherProject, other) = await LogTestApps.SeedDeploymentAsync(_contexts.ConnectionString, "rother");
        using var writer = new RuntimeLogWriter(
            _contexts, new RuntimeLogFeed(), new LogSequences(), Options.Create(new LogsOptions()), _time, NullLogger<RuntimeLogWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        try
        {
            for (var i = 0; i < 30; i++)
            {
                writer.Write(doomedProject, doomed, _time.GetUtcNow(), "stdout", null, $"doomed {i}");
                writer.Write(otherProject, other, _time.GetUtcNow(), "stdout", null, i == 9 ? "nul \0 here" : $"other {i}");
            }

            writer.WriteDropped(doomedProject, doomed, 5, "test overflow of a deleted deployment");
            await DeleteDeploymentAsync(doomed);
            await FlushUntilAsync(async () => await StoredRuntimeLinesAsync(other) == 29);

            Assert.Equal(32, writer.Rejected);
            Assert.Equal(0, writer.UnsavedCount);
            Assert.Equal(0, await StoredRuntimeLinesAsync(doomed));
        }
        finally
        {
            await writer.StopAsync(CancellationToken.None);
        }
    }

    private async Task DeleteDeploymentAsync(long deploymentId)
    {
        await using var db = _contexts.CreateDbContext();
        await db.Deployments.Where(d => d.Id == deploymentId).ExecuteDeleteAsync();
    }

    private async Task<int> StoredBuildLinesAsync(long deploymentId)
    {
        await using var db = _contexts.CreateDbContext();
        return await db.BuildLogs.CountAsync(l => l.DeploymentId == deploymentId);
    }

    private async Task<int> StoredRuntimeLinesAsync(long deploymentId)
    {
        await using var db = _contexts.CreateDbContext();
        return await db.RuntimeLogs.CountAsync(l => l.DeploymentId == deploymentId);
    }

    /// <summary>Moves fake time on (the writers flush on a timer) until <paramref name="done"/> holds.</summary>
    private async Task FlushUntilAsync(Func<Task<bool>> done)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await done())
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(50, deadline.Token);
        }
    }
}
