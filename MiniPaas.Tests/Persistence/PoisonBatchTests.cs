using System.Net.Sockets;
using MiniPaas.Core.Persistence;
using Npgsql;

namespace MiniPaas.Tests.Persistence;

/// <summary><see cref="PoisonBatch"/> and <see cref="DatabaseFaults"/> against a fake store that refuses chosen rows.</summary>
public sealed class PoisonBatchTests
{
    private readonly record struct Row(long Deployment, int Value);

    private sealed class FakeStore
    {
        public List<Row> Stored { get; } = [];
        public List<Row> Dropped { get; } = [];
        public int Attempts { get; private set; }
        public HashSet<long> DeletedDeployments { get; } = [];
        public HashSet<int> Refused { get; } = [];
        public int? FailTransientlyAtAttempt { get; set; }

        public Task SaveAsync(IReadOnlyList<Row> rows, CancellationToken ct)
        {
            Attempts++;
            if (Attempts == FailTransientlyAtAttempt)
            {
                throw new NpgsqlException("Exception while connecting", new SocketException((int)SocketError.ConnectionRefused));
            }

            if (rows.Any(r => DeletedDeployments.Contains(r.Deployment)))
            {
                throw new PostgresException("insert violates foreign key constraint", "ERROR", "ERROR", PostgresErrorCodes.ForeignKeyViolation);
            }

            if (rows.Any(r => Refused.Contains(r.Value)))
            {
                throw new PostgresException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "ERROR", PostgresErrorCodes.CharacterNotInRepertoire);
            }

            Stored.AddRange(rows);
            return Task.CompletedTask;
        }

        public Task RunAsync(List<Row> batch) =>
            PoisonBatch.SaveAsync(batch, SaveAsync, r => r.Deployment, _ => { }, (rows, _) => Dropped.AddRange(rows), CancellationToken.None);
    }

    private static List<Row> Rows(params (long Deployment, int Count)[] groups) =>
        [.. groups.SelectMany(g => Enumerable.Range(0, g.Count).Select(i => new Row(g.Deployment, (int)(g.Deployment * 1000) + i)))];

    [Fact]
    public async Task SaveAsync_DeletedDeployment_ItsPartDroppedWholeInOneTry()
    {
        var store = new FakeStore { DeletedDeployments = { 2 } };
        var batch = Rows((1, 100), (2, 500), (3, 100));

        await store.RunAsync(batch);

        Assert.Empty(batch);
        Assert.Equal(200, store.Stored.Count);
        Assert.Equal(500, store.Dropped.Count);
        Assert.All(store.Dropped, r => Assert.Equal(2, r.Deployment));
        // The whole batch, then one try per deployment: the deleted one is not halved row by row.
        Assert.Equal(4, store.Attempts);
    }

    [Fact]
    public async Task SaveAsync_OneRefusedRow_OnlyThatRowDroppedAndOrderKept()
    {
        var store = new FakeStore { Refused = { 1_037 } };
        var batch = Rows((1, 64));

        await store.RunAsync(batch);

        Assert.Equal([new Row(1, 1_037)], store.Dropped);
        Assert.Equal(Rows((1, 64)).Where(r => r.Value != 1_037), store.Stored);
    }

    [Fact]
    public async Task SaveAsync_DatabaseDownMidway_ThrowsAndLeavesOnlyTheUnsavedRows()
    {
        var store = new FakeStore { DeletedDeployments = { 1 }, FailTransientlyAtAttempt = 3 };
        var batch = Rows((1, 10), (2, 10), (3, 10));

        var error = await Assert.ThrowsAsync<NpgsqlException>(() => store.RunAsync(batch));

        Assert.True(DatabaseFaults.IsUnavailable(error));
        Assert.Equal(Rows((2, 10), (3, 10)), batch);
        Assert.Equal(10, store.Dropped.Count);
        Assert.Empty(store.Stored);

        await store.RunAsync(batch);
        Assert.Empty(batch);
        Assert.Equal(Rows((2, 10), (3, 10)), store.Stored);
    }

    [Fact]
    public void DatabaseFaults_Classify_UnavailableVersusRefused()
    {
        var refused = new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);
        var shutdown = new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown);
        var wrapped = new Microsoft.EntityFrameworkCore.DbUpdateException("save failed", new NpgsqlException("read failed", new IOException("EOF")));

        Assert.True(DatabaseFaults.IsPermanent(refused));
        Assert.False(DatabaseFaults.IsUnavailable(refused));
        Assert.True(DatabaseFaults.IsUnavailable(shutdown));
        Assert.False(DatabaseFaults.IsPermanent(shutdown));
        Assert.True(DatabaseFaults.IsUnavailable(wrapped));
        Assert.IsType<DatabaseUnavailableException>(DatabaseFaults.AsUnavailable(wrapped));
        Assert.Null(DatabaseFaults.AsUnavailable(new InvalidOperationException("a bug")));
        // A network error of another system (GitHub, the engine) is not the database's.
        Assert.False(DatabaseFaults.IsUnavailable(new HttpRequestException("github unreachable", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal("23505: duplicate key", DatabaseFaults.Describe(new Microsoft.EntityFrameworkCore.DbUpdateException("x", refused)));
    }
}
