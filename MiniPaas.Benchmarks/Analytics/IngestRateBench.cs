using System.Diagnostics;
using MiniPaas.Core.Analytics;
using Npgsql;
using NpgsqlTypes;

namespace MiniPaas.Benchmarks.Analytics;

/// <summary>Rows per second into <c>request_events</c>: one INSERT per row (the naive baseline) vs binary COPY in batches, plus the full ingestor batch (COPY + rollups + visitors).</summary>
public static class IngestRateBench
{
    public const int BatchSize = 5_000;

    public static async Task<(double InsertRowsPerSecond, double CopyRowsPerSecond, double FullBatchRowsPerSecond)> RunAsync(
        string connectionString, AnalyticsBenchOptions options, CancellationToken ct)
    {
        var random = new Random(1);
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        long seq = 0;

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);

        // Per-row INSERT, each its own statement and (autocommit) transaction.
        var insertRows = BenchRows.Chunk(seq, options.InsertRows, options.InsertRows, 1, start, TimeSpan.FromHours(1), random);
        seq += insertRows.Count;
        var clock = Stopwatch.StartNew();
        foreach (var row in insertRows)
        {
            await InsertOneAsync(connection, row, ct);
        }

        var insertRate = insertRows.Count / clock.Elapsed.TotalSeconds;

        // Binary COPY, batches of BatchSize (one COPY and one commit each, like the ingestor).
        var copyRate = await TimeBatchesAsync(options.CopyRows, async batch =>
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await RequestEventWriter.CopyRowsAsync(connection, batch, ct);
            await transaction.CommitAsync(ct);
        });

        // The ingestor's whole batch: COPY + rollup upsert + visitor sets, one transaction.
        var writer = new RequestEventWriter(AnalyticsDatabase.Fixed(connectionString));
        var fullRate = await TimeBatchesAsync(options.CopyRows, batch => writer.WriteAsync(batch, 32, ct));
        return (insertRate, copyRate, fullRate);

        async Task<double> TimeBatchesAsync(int total, Func<List<RequestRow>, Task> write)
        {
            // Rows are generated before the clock runs: only writing is timed.
            var batches = new List<List<RequestRow>>();
            for (var done = 0; done < total; done += BatchSize)
            {
                var size = Math.Min(BatchSize, total - done);
                batches.Add(BenchRows.Chunk(seq, size, size, 1, start, TimeSpan.FromHours(1), random));
                seq += size;
            }

            var timer = Stopwatch.StartNew();
            foreach (var batch in batches)
            {
                await write(batch);
            }

            return total / timer.Elapsed.TotalSeconds;
        }
    }

    private static async Task InsertOneAsync(NpgsqlConnection connection, RequestRow r, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO request_events (seq, project_id, deployment_id, timestamp, method, path, query, status, duration_ms, bytes_in, bytes_out, referrer_host, agent_class, visitor_id, client_ip) "
            + "VALUES (@seq, @p, @d, @ts, @m, @path, NULL, @s, @dur, @bi, @bo, @ref, @a, @v, NULL)", connection);
        command.Parameters.AddWithValue("seq", r.Seq);
        command.Parameters.AddWithValue("p", r.ProjectId);
        command.Parameters.AddWithValue("d", r.DeploymentId ?? (object)DBNull.Value);
        command.Parameters.AddWithValue("ts", r.Timestamp);
        command.Parameters.AddWithValue("m", r.Method);
        command.Parameters.AddWithValue("path", r.Path);
        command.Parameters.AddWithValue("s", r.Status);
        command.Parameters.AddWithValue("dur", r.DurationMs);
        command.Parameters.AddWithValue("bi", r.BytesIn);
        command.Parameters.AddWithValue("bo", r.BytesOut);
        command.Parameters.Add(new NpgsqlParameter("ref", NpgsqlDbType.Text) { Value = r.ReferrerHost ?? (object)DBNull.Value });
        command.Parameters.AddWithValue("a", (short)r.AgentClass);
        command.Parameters.AddWithValue("v", r.VisitorId);
        await command.ExecuteNonQueryAsync(ct);
    }
}
