using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MiniPaas.Core.Analytics;

/// <summary>
/// Deletes analytics older than <see cref="AnalyticsRetentionOptions"/> allows: raw events after <c>AnalyticsRaw</c>, minute and
/// hour rollups and hourly visitor sets after <c>AnalyticsRollups</c>, daily visitor sets once their whole day is past it.
/// Deletes go in batches of <c>AnalyticsDeleteBatch</c> rows (short transactions, no long locks), and each table that lost
/// rows is vacuumed so the space is reused instead of bloating.
/// </summary>
public sealed partial class AnalyticsRetention(
    AnalyticsDatabase database,
    IOptions<AnalyticsRetentionOptions> options,
    TimeProvider time,
    ILogger<AnalyticsRetention> logger) : BackgroundService
{
    /// <summary>Removes everything past retention as of now; returns the rows deleted per table.</summary>
    public async Task<IReadOnlyDictionary<string, long>> SweepAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var deleted = new Dictionary<string, long>
        {
            ["request_events"] = await DeleteOlderThanAsync(
                "DELETE FROM request_events WHERE ctid IN (SELECT ctid FROM request_events WHERE timestamp < @cutoff LIMIT @batch)",
                now - settings.AnalyticsRaw, settings.AnalyticsDeleteBatch, ct).ConfigureAwait(false),
            ["request_rollups"] = await DeleteOlderThanAsync(
                "DELETE FROM request_rollups WHERE ctid IN (SELECT ctid FROM request_rollups WHERE minute < @cutoff LIMIT @batch)",
                now - settings.AnalyticsRollups, settings.AnalyticsDeleteBatch, ct).ConfigureAwait(false),
            ["request_rollups_hourly"] = await DeleteOlderThanAsync(
                "DELETE FROM request_rollups_hourly WHERE ctid IN (SELECT ctid FROM request_rollups_hourly WHERE hour < @cutoff LIMIT @batch)",
                now - settings.AnalyticsRollups, settings.AnalyticsDeleteBatch, ct).ConfigureAwait(false),
            ["request_visitors"] = await DeleteOlderThanAsync(
                "DELETE FROM request_visitors WHERE ctid IN (SELECT ctid FROM request_visitors WHERE hour < @cutoff LIMIT @batch)",
                now - settings.AnalyticsRollups, settings.AnalyticsDeleteBatch, ct).ConfigureAwait(false),

            // A day goes once all of it is past the cutoff (the cutoff's own day still has hours to answer for).
            ["request_visitors_daily"] = await DeleteOlderThanAsync(
                "DELETE FROM request_visitors_daily WHERE ctid IN (SELECT ctid FROM request_visitors_daily WHERE day < (@cutoff AT TIME ZONE 'UTC')::date LIMIT @batch)",
                now - settings.AnalyticsRollups, settings.AnalyticsDeleteBatch, ct).ConfigureAwait(false),
        };

        foreach (var (table, count) in deleted)
        {
            if (count > 0)
            {
                await VacuumAsync(table, ct).ConfigureAwait(false);
                LogDeleted(count, table);
            }
        }

        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The database may be away; the next sweep tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSweepFailed(ex);
            }

            try
            {
                await Task.Delay(options.Value.AnalyticsSweepInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<long> DeleteOlderThanAsync(string sql, DateTimeOffset cutoff, int batch, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(await database.GetConnectionStringAsync(ct).ConfigureAwait(false));
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            long total = 0;
            while (true)
            {
                // Each statement is its own short transaction (autocommit).
                var command = new NpgsqlCommand(sql, connection);
                await using (command.ConfigureAwait(false))
                {
                    command.Parameters.AddWithValue("cutoff", cutoff);
                    command.Parameters.AddWithValue("batch", batch);
                    var count = await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    total += count;
                    if (count < batch)
                    {
                        return total;
                    }
                }
            }
        }
    }

    private async Task VacuumAsync(string table, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(await database.GetConnectionStringAsync(ct).ConfigureAwait(false));
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);

            // Table names come from the fixed list above, never from input.
            var command = new NpgsqlCommand($"VACUUM (ANALYZE) {table}", connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention removed {Count} rows from {Table}")]
    private partial void LogDeleted(long count, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics retention sweep failed; will try again")]
    private partial void LogSweepFailed(Exception exception);
}
