using Npgsql;
using NpgsqlTypes;

namespace MiniPaas.Core.Analytics;

/// <summary>
/// Writes one batch of requests in one transaction: raw rows (binary COPY, or a single multi-row INSERT for tiny batches),
/// the per-minute and per-hour rollups they add up to, the hourly and daily visitor sets, and the seq high-water mark. All or nothing, so a retried batch never counts twice.
/// </summary>
public sealed class RequestEventWriter(AnalyticsDatabase database)
{
    internal const string CopyCommand =
        "COPY request_events (seq, project_id, deployment_id, timestamp, method, path, query, status, duration_ms, bytes_in, bytes_out, referrer_host, agent_class, visitor_id, client_ip) FROM STDIN (FORMAT BINARY)";

    private const string InsertRows = """
        INSERT INTO request_events (seq, project_id, deployment_id, timestamp, method, path, query, status, duration_ms, bytes_in, bytes_out, referrer_host, agent_class, visitor_id, client_ip)
        SELECT * FROM unnest(@seq, @project, @deployment, @ts, @method, @path, @query, @status, @duration, @bytes_in, @bytes_out, @referrer, @agent, @visitor, @ip)
        """;

    // The latency buckets of all rollups travel as one flat array; each row takes its slice by ordinality.
    // {0} = table, {1} = its period column; both constants of this class.
    private const string UpsertRollups = """
        INSERT INTO {0} AS r (project_id, {1}, requests, status_other, status2xx, status3xx, status4xx, status5xx,
            browsers, bots, other_agents, bytes_in, bytes_out, duration_sum_ms, latency_buckets)
        SELECT u.p, u.m, u.n, u.s0, u.s2, u.s3, u.s4, u.s5, u.b, u.bot, u.o, u.bi, u.bo, u.d,
               (@buckets::bigint[])[(u.ord - 1) * @width + 1 : u.ord * @width]
        FROM unnest(@p, @m, @n, @s0, @s2, @s3, @s4, @s5, @b, @bot, @o, @bi, @bo, @d)
             WITH ORDINALITY AS u(p, m, n, s0, s2, s3, s4, s5, b, bot, o, bi, bo, d, ord)
        ON CONFLICT (project_id, {1}) DO UPDATE SET
            requests = r.requests + excluded.requests,
            status_other = r.status_other + excluded.status_other,
            status2xx = r.status2xx + excluded.status2xx,
            status3xx = r.status3xx + excluded.status3xx,
            status4xx = r.status4xx + excluded.status4xx,
            status5xx = r.status5xx + excluded.status5xx,
            browsers = r.browsers + excluded.browsers,
            bots = r.bots + excluded.bots,
            other_agents = r.other_agents + excluded.other_agents,
            bytes_in = r.bytes_in + excluded.bytes_in,
            bytes_out = r.bytes_out + excluded.bytes_out,
            duration_sum_ms = r.duration_sum_ms + excluded.duration_sum_ms,
            latency_buckets = (SELECT array_agg(coalesce(a, 0) + coalesce(c, 0) ORDER BY i)
                               FROM unnest(r.latency_buckets, excluded.latency_buckets) WITH ORDINALITY AS t(a, c, i))
        """;

    private const string RaiseHighWater = """
        INSERT INTO request_events_high_water AS h (id, last_seq) VALUES (1, @seq)
        ON CONFLICT (id) DO UPDATE SET last_seq = greatest(h.last_seq, excluded.last_seq)
        """;

    /// <summary>Writes <paramref name="rows"/> with their rollups; returns the rollups (the live feed publishes them).</summary>
    public async Task<IReadOnlyList<MinuteRollup>> WriteAsync(IReadOnlyList<RequestRow> rows, int copyThreshold, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var rollups = MinuteRollup.Summarize(rows);
        if (rows.Count == 0)
        {
            return rollups;
        }

        var connection = new NpgsqlConnection(await database.GetConnectionStringAsync(ct).ConfigureAwait(false));
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (rows.Count < copyThreshold)
                {
                    await InsertRowsAsync(connection, rows, ct).ConfigureAwait(false);
                }
                else
                {
                    await CopyRowsAsync(connection, rows, ct).ConfigureAwait(false);
                }

                await UpsertRollupsAsync(connection, rollups, ct).ConfigureAwait(false);
                await UpsertRollupsAsync(connection, MinuteRollup.Summarize(rows, MinuteRollup.HourOf), ct, hourly: true).ConfigureAwait(false);
                await VisitorSetWriter.AddAsync(connection, rows, ct).ConfigureAwait(false);
                await RaiseHighWaterAsync(connection, rows.Max(r => r.Seq), ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
            }
        }

        return rollups;
    }

    /// <summary>
    /// Whether the batch starting with <paramref name="first"/> is already stored: after a failure while committing the
    /// outcome is unknown, and since a batch is one transaction, its first row tells (found through the (project, time)
    /// index; seq alone has none).
    /// </summary>
    public async Task<bool> IsStoredAsync(RequestRow first, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(first);
        var connection = new NpgsqlConnection(await database.GetConnectionStringAsync(ct).ConfigureAwait(false));
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = new NpgsqlCommand(
                "SELECT EXISTS (SELECT 1 FROM request_events WHERE project_id = @project AND timestamp = @at AND seq = @seq)", connection);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.AddWithValue("project", first.ProjectId);
                command.Parameters.AddWithValue("at", first.Timestamp.ToUniversalTime());
                command.Parameters.AddWithValue("seq", first.Seq);
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
            }
        }
    }

    /// <summary>Raw rows only, by binary COPY (the bulk path; benchmarks and data generators use it directly).</summary>
    public static async Task CopyRowsAsync(NpgsqlConnection connection, IReadOnlyList<RequestRow> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        var importer = await connection.BeginBinaryImportAsync(CopyCommand, ct).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            // Synchronous writes: they only fill Npgsql's buffer (flushing now and then), and a Task per field would cost a
            // large share of the COPY path's speed. The ingestor runs on its own background loop, never on a request.
            foreach (var row in rows)
            {
                importer.StartRow();
                importer.Write(row.Seq, NpgsqlDbType.Bigint);
                importer.Write(row.ProjectId, NpgsqlDbType.Bigint);
                WriteNullable(importer, row.DeploymentId, NpgsqlDbType.Bigint);
                importer.Write(row.Timestamp, NpgsqlDbType.TimestampTz);
                importer.Write(row.Method, NpgsqlDbType.Text);
                importer.Write(row.Path, NpgsqlDbType.Text);
                WriteNullable(importer, row.Query, NpgsqlDbType.Text);
                importer.Write(row.Status, NpgsqlDbType.Smallint);
                importer.Write(row.DurationMs, NpgsqlDbType.Real);
                importer.Write(row.BytesIn, NpgsqlDbType.Bigint);
                importer.Write(row.BytesOut, NpgsqlDbType.Bigint);
                WriteNullable(importer, row.ReferrerHost, NpgsqlDbType.Text);
                importer.Write((short)row.AgentClass, NpgsqlDbType.Smallint);
                importer.Write(row.VisitorId, NpgsqlDbType.Bigint);
                WriteNullable(importer, row.ClientIp, NpgsqlDbType.Text);
            }

            // Without Complete the import is rolled back on dispose.
            await importer.CompleteAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Raw rows only, as one multi-row INSERT (cheaper than COPY's start-up for a handful of rows).</summary>
    public static async Task InsertRowsAsync(NpgsqlConnection connection, IReadOnlyList<RequestRow> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        var command = new NpgsqlCommand(InsertRows, connection);
        await using (command.ConfigureAwait(false))
        {
            var p = command.Parameters;
            p.AddWithValue("seq", rows.Select(r => r.Seq).ToArray());
            p.AddWithValue("project", rows.Select(r => r.ProjectId).ToArray());
            p.Add(new NpgsqlParameter("deployment", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = rows.Select(r => r.DeploymentId).ToArray() });
            p.Add(new NpgsqlParameter("ts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.Timestamp).ToArray() });
            p.AddWithValue("method", rows.Select(r => r.Method).ToArray());
            p.AddWithValue("path", rows.Select(r => r.Path).ToArray());
            p.Add(new NpgsqlParameter("query", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Query).ToArray() });
            p.AddWithValue("status", rows.Select(r => r.Status).ToArray());
            p.AddWithValue("duration", rows.Select(r => r.DurationMs).ToArray());
            p.AddWithValue("bytes_in", rows.Select(r => r.BytesIn).ToArray());
            p.AddWithValue("bytes_out", rows.Select(r => r.BytesOut).ToArray());
            p.Add(new NpgsqlParameter("referrer", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.ReferrerHost).ToArray() });
            p.AddWithValue("agent", rows.Select(r => (short)r.AgentClass).ToArray());
            p.AddWithValue("visitor", rows.Select(r => r.VisitorId).ToArray());
            p.Add(new NpgsqlParameter("ip", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.ClientIp).ToArray() });
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Adds <paramref name="rollups"/> to the stored per-minute rollups (or, with <paramref name="hourly"/>, per-hour ones: periods must then start on the hour).</summary>
    public static async Task UpsertRollupsAsync(NpgsqlConnection connection, IReadOnlyList<MinuteRollup> rollups, CancellationToken ct, bool hourly = false)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rollups);
        if (rollups.Count == 0)
        {
            return;
        }

        var sql = hourly
            ? UpsertRollups.Replace("{0}", "request_rollups_hourly", StringComparison.Ordinal).Replace("{1}", "hour", StringComparison.Ordinal)
            : UpsertRollups.Replace("{0}", "request_rollups", StringComparison.Ordinal).Replace("{1}", "minute", StringComparison.Ordinal);
        var command = new NpgsqlCommand(sql, connection);
        await using (command.ConfigureAwait(false))
        {
            var p = command.Parameters;
            p.AddWithValue("p", rollups.Select(r => r.ProjectId).ToArray());
            p.Add(new NpgsqlParameter("m", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rollups.Select(r => r.Minute).ToArray() });
            p.AddWithValue("n", rollups.Select(r => r.Requests).ToArray());
            p.AddWithValue("s0", rollups.Select(r => r.StatusOther).ToArray());
            p.AddWithValue("s2", rollups.Select(r => r.Status2xx).ToArray());
            p.AddWithValue("s3", rollups.Select(r => r.Status3xx).ToArray());
            p.AddWithValue("s4", rollups.Select(r => r.Status4xx).ToArray());
            p.AddWithValue("s5", rollups.Select(r => r.Status5xx).ToArray());
            p.AddWithValue("b", rollups.Select(r => r.Browsers).ToArray());
            p.AddWithValue("bot", rollups.Select(r => r.Bots).ToArray());
            p.AddWithValue("o", rollups.Select(r => r.OtherAgents).ToArray());
            p.AddWithValue("bi", rollups.Select(r => r.BytesIn).ToArray());
            p.AddWithValue("bo", rollups.Select(r => r.BytesOut).ToArray());
            p.AddWithValue("d", rollups.Select(r => r.DurationSumMs).ToArray());
            p.AddWithValue("buckets", rollups.SelectMany(r => r.LatencyBuckets).ToArray());
            p.AddWithValue("width", LatencyHistogram.BucketCount);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static async Task RaiseHighWaterAsync(NpgsqlConnection connection, long lastSeq, CancellationToken ct)
    {
        var command = new NpgsqlCommand(RaiseHighWater, connection);
        await using (command.ConfigureAwait(false))
        {
            command.Parameters.AddWithValue("seq", lastSeq);
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static void WriteNullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v)
        {
            importer.Write(v, type);
        }
        else
        {
            importer.WriteNull();
        }
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type)
    {
        if (value is not null)
        {
            importer.Write(value, type);
        }
        else
        {
            importer.WriteNull();
        }
    }
}
