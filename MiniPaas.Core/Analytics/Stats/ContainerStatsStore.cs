using System.Data;
using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Persistence;
using Npgsql;

namespace MiniPaas.Core.Analytics.Stats;

/// <summary>A reading to store: which container of which project, and what it used.</summary>
public sealed record StatsReading(long ProjectId, long? DeploymentId, string ContainerId, DateTimeOffset Timestamp, ResourceUsage Usage);

/// <summary>Stores container stats samples, reads them back per project as buckets, and deletes old ones.</summary>
public sealed class ContainerStatsStore(IDbContextFactory<MiniPaasDbContext> contexts)
{
    // Small enough that one delete never holds many row locks or bloats a transaction; retention loops until done.
    internal const int DeleteBatchSize = 5_000;

    /// <summary>Inserts the readings and returns them as samples carrying their row id as sequence number.</summary>
    public async Task<IReadOnlyList<ContainerStatsSample>> AddAsync(IReadOnlyList<StatsReading> readings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
        {
            return [];
        }

        var records = readings.Select(ToRecord).ToList();
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        db.Set<ContainerStatsSampleRecord>().AddRange(records);
        await db.SaveChangesAsync(ct).ConfigureAwait(false);
        return [.. records.Select(ToSample)];
    }

    /// <summary>
    /// The project's samples in [<paramref name="from"/>, <paramref name="to"/>) as a series of <paramref name="bucketWidth"/>
    /// buckets. The buckets and the highest sample id come from one snapshot, so live samples can be merged without gaps or doubles.
    /// </summary>
    public async Task<ResourceSeries> LoadSeriesAsync(long projectId, DateTimeOffset from, DateTimeOffset to, TimeSpan bucketWidth, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);

        await using var maxCommand = new NpgsqlCommand("SELECT coalesce(max(id), 0) FROM container_stats_samples", connection, transaction);
        var historySeq = (long)(await maxCommand.ExecuteScalarAsync(ct).ConfigureAwait(false) ?? 0L);
        var series = new ResourceSeries(bucketWidth, historySeq);

        // Sums and counts per (bucket, container), not averages: live samples then merge into the same buckets exactly.
        await using var command = new NpgsqlCommand(
            """
            SELECT date_bin($1, "timestamp", $2) AS bucket, container_id,
                   coalesce(sum(cpu_percent), 0), count(cpu_percent)::int,
                   sum(memory_used_bytes)::float8, count(*)::int, max(memory_limit_bytes)
            FROM container_stats_samples
            WHERE project_id = $3 AND "timestamp" >= $4 AND "timestamp" < $5 AND id <= $6
            GROUP BY 1, 2
            ORDER BY 1
            """,
            connection,
            transaction)
        {
            Parameters =
            {
                new() { Value = bucketWidth },
                new() { Value = DateTimeOffset.UnixEpoch },
                new() { Value = projectId },
                new() { Value = from.ToUniversalTime() },
                new() { Value = to.ToUniversalTime() },
                new() { Value = historySeq },
            },
        };
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                series.AddBucket(new StatsBucket(
                    reader.GetFieldValue<DateTimeOffset>(0),
                    reader.GetString(1),
                    reader.GetDouble(2),
                    reader.GetInt32(3),
                    reader.GetDouble(4),
                    reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : reader.GetInt64(6)));
            }
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return series;
    }

    /// <summary>Deletes samples older than <paramref name="cutoff"/> in batches; returns how many went.</summary>
    public async Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken ct = default)
    {
        long total = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            var deleted = await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                DELETE FROM container_stats_samples
                WHERE id IN (SELECT id FROM container_stats_samples WHERE "timestamp" < {cutoff.ToUniversalTime()} LIMIT {DeleteBatchSize})
                """,
                ct).ConfigureAwait(false);
            total += deleted;
            if (deleted < DeleteBatchSize)
            {
                return total;
            }
        }
    }

    private static ContainerStatsSampleRecord ToRecord(StatsReading reading) => new()
    {
        ProjectId = reading.ProjectId,
        DeploymentId = reading.DeploymentId,
        ContainerId = reading.ContainerId,
        Timestamp = reading.Timestamp.ToUniversalTime(),
        CpuPercent = reading.Usage.CpuPercent,
        MemoryUsedBytes = reading.Usage.MemoryUsedBytes,
        MemoryLimitBytes = reading.Usage.MemoryLimitBytes,
        NetworkRxBytes = reading.Usage.NetworkRxBytes,
        NetworkTxBytes = reading.Usage.NetworkTxBytes,
        BlockReadBytes = reading.Usage.BlockReadBytes,
        BlockWriteBytes = reading.Usage.BlockWriteBytes,
    };

    private static ContainerStatsSample ToSample(ContainerStatsSampleRecord r) => new(
        r.Id, r.ProjectId, r.DeploymentId, r.ContainerId, r.Timestamp, r.CpuPercent, r.MemoryUsedBytes, r.MemoryLimitBytes,
        r.NetworkRxBytes, r.NetworkTxBytes, r.BlockReadBytes, r.BlockWriteBytes);
}
