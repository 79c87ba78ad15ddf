using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Analytics.Stats;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using MiniPaas.Tests.Variables;

namespace MiniPaas.Tests.Analytics.Stats;

/// <summary>The samples table on real PostgreSQL: bucketing in SQL equals bucketing in memory, retention deletes only old rows.</summary>
[Trait("Needs", "Postgres")]
public sealed class ContainerStatsStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
    private IDbContextFactory<MiniPaasDbContext> _contexts = null!;
    private ContainerStatsStore _store = null!;
    private long _projectId;

    public async Task InitializeAsync()
    {
        _contexts = await (await PostgresFixture.GetAsync()).CreateMigratedContextFactoryAsync("stats_store");
        _store = new ContainerStatsStore(_contexts);
        _projectId = await VariablesTestStore.AddProjectAsync(_contexts, "stats-" + Guid.NewGuid().ToString("N")[..6]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private StatsReading Reading(string container, DateTimeOffset at, double? cpu, long memory, long? limit = 512L << 20) =>
        new(_projectId, null, container, at, new ResourceUsage(cpu, memory, limit, null, null, 0, 0));

    [Fact]
    public async Task LoadSeriesAsync_RandomSamples_EqualsTheSameSeriesBuiltInMemory()
    {
        var random = new Random(42);
        var readings = new List<StatsReading>();
        foreach (var container in new[] { "aaaa", "bbbb" })
        {
            for (var i = 0; i < 180; i++)
            {
                readings.Add(Reading(container, T0.AddSeconds(i * 10 + random.Next(0, 10)), i == 0 ? null : random.NextDouble() * 150, random.Next(10, 500) << 20));
            }
        }

        var samples = await _store.AddAsync(readings);
        Assert.Equal(readings.Count, samples.Select(s => s.Seq).Distinct().Count());

        var width = TimeSpan.FromMinutes(2);
        var fromDatabase = await _store.LoadSeriesAsync(_projectId, T0.AddMinutes(4), T0.AddMinutes(26), width);
        var inMemory = new ResourceSeries(width, historySeq: 0);
        foreach (var sample in samples.Where(s => s.Timestamp >= T0.AddMinutes(4) && s.Timestamp < T0.AddMinutes(26)))
        {
            inMemory.Add(sample);
        }

        var expected = inMemory.Points();
        var actual = fromDatabase.Points();
        Assert.Equal(11, actual.Count);
        Assert.Equal(expected.Select(p => p.Time), actual.Select(p => p.Time));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].CpuPercent!.Value, actual[i].CpuPercent!.Value, precision: 6);
            Assert.Equal(expected[i].MemoryUsedBytes, actual[i].MemoryUsedBytes, precision: 3);
            Assert.Equal(512L << 20, actual[i].MemoryLimitBytes);
        }

        // Live samples already in the history are recognised by their sequence number.
        Assert.True(fromDatabase.HistorySeq >= samples.Max(s => s.Seq));
        Assert.False(fromDatabase.Add(samples[^1]));
    }

    [Fact]
    public async Task LoadSeriesAsync_OtherProject_IsNotIncluded()
    {
        var other = await VariablesTestStore.AddProjectAsync(_contexts, "other-" + Guid.NewGuid().ToString("N")[..6]);
        await _store.AddAsync([Reading("aaaa", T0, 10, 100), Reading("bbbb", T0, 20, 200) with { ProjectId = other }]);

        var series = await _store.LoadSeriesAsync(_projectId, T0.AddMinutes(-1), T0.AddMinutes(1), TimeSpan.FromMinutes(1));

        var point = Assert.Single(series.Points());
        Assert.Equal(10, point.CpuPercent);
        Assert.Equal(100, point.MemoryUsedBytes);
    }

    [Fact]
    public async Task DeleteOlderThanAsync_MoreThanOneBatch_RemovesOldRowsOnly()
    {
        var old = Enumerable.Range(0, ContainerStatsStore.DeleteBatchSize + 123).Select(i => Reading("aaaa", T0.AddDays(-40).AddSeconds(i), 1, 1)).ToList();
        var recent = Enumerable.Range(0, 50).Select(i => Reading("aaaa", T0.AddSeconds(i), 1, 1)).ToList();
        await _store.AddAsync(old);
        await _store.AddAsync(recent);

        var deleted = await _store.DeleteOlderThanAsync(T0.AddDays(-30));

        Assert.Equal(old.Count, deleted);
        await using var db = await _contexts.CreateDbContextAsync();
        var left = await db.Set<ContainerStatsSampleRecord>().Where(s => s.ProjectId == _projectId).Select(s => s.Timestamp).ToListAsync();
        Assert.Equal(recent.Count, left.Count);
        Assert.All(left, t => Assert.True(t >= T0));
    }

    [Fact]
    public async Task ProjectDeleted_SamplesGoWithIt()
    {
        var project = await VariablesTestStore.AddProjectAsync(_contexts, "gone-" + Guid.NewGuid().ToString("N")[..6]);
        await _store.AddAsync([Reading("aaaa", T0, 1, 1) with { ProjectId = project }]);

        await using var db = await _contexts.CreateDbContextAsync();
        await db.Projects.Where(p => p.Id == project).ExecuteDeleteAsync();

        Assert.Equal(0, await db.Set<ContainerStatsSampleRecord>().CountAsync(s => s.ProjectId == project));
    }
}
