using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Persistence;
using Npgsql;

namespace MiniPaas.Core.Logs;

/// <summary>
/// Keeps runtime logs within <see cref="LogRetentionOptions"/>: per project, lines older than the maximum age and lines beyond the
/// maximum count go, oldest first, in small batches (short transactions; autovacuum keeps up instead of one huge delete bloating the table).
/// </summary>
public sealed partial class RuntimeLogRetention(
    IDbContextFactory<MiniPaasDbContext> dbFactory,
    IOptions<LogRetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<RuntimeLogRetention> logger) : BackgroundService
{
    /// <summary>One pass over every project; returns the number of lines deleted.</summary>
    public async Task<long> SweepAsync(CancellationToken ct = default)
    {
        var settings = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var projectIds = await db.Projects.AsNoTracking().Select(p => p.Id).ToListAsync(ct).ConfigureAwait(false);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var cutoff = timeProvider.GetUtcNow() - settings.LogMaxAge;
        long deleted = 0;
        foreach (var projectId in projectIds)
        {
            deleted += await DeleteInBatchesAsync(connection, projectId, "timestamp < @cutoff", c => c.Parameters.AddWithValue("cutoff", cutoff), ct).ConfigureAwait(false);
            var boundary = await CountBoundaryAsync(connection, projectId, settings.LogMaxLinesPerProject, ct).ConfigureAwait(false);
            if (boundary is { } lastToDelete)
            {
                deleted += await DeleteInBatchesAsync(connection, projectId, "seq <= @boundary", c => c.Parameters.AddWithValue("boundary", lastToDelete), ct).ConfigureAwait(false);
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
                await Task.Delay(options.Value.LogSweepInterval, timeProvider, stoppingToken).ConfigureAwait(false);
                var deleted = await SweepAsync(stoppingToken).ConfigureAwait(false);
                if (deleted > 0)
                {
                    LogSwept(deleted);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                LogSweepFailed(ex);
            }
        }
    }

    // The seq of the newest line that falls outside the newest max-lines of the project, or null when within the limit.
    private static async Task<long?> CountBoundaryAsync(NpgsqlConnection connection, long projectId, long maxLines, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT seq FROM runtime_logs WHERE project_id = @project ORDER BY seq DESC OFFSET @keep LIMIT 1", connection);
        command.Parameters.AddWithValue("project", projectId);
        command.Parameters.AddWithValue("keep", maxLines);
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as long?;
    }

    private async Task<long> DeleteInBatchesAsync(
        NpgsqlConnection connection, long projectId, string condition, Action<NpgsqlCommand> bind, CancellationToken ct)
    {
        long total = 0;
        while (true)
        {
            await using var command = new NpgsqlCommand(
                $"DELETE FROM runtime_logs WHERE seq IN (SELECT seq FROM runtime_logs WHERE project_id = @project AND {condition} ORDER BY seq LIMIT @batch)",
                connection);
            command.Parameters.AddWithValue("project", projectId);
            command.Parameters.AddWithValue("batch", options.Value.LogDeleteBatchSize);
            bind(command);
            var deleted = await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            total += deleted;
            if (deleted < options.Value.LogDeleteBatchSize)
            {
                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Log retention deleted {Count} runtime log lines")]
    private partial void LogSwept(long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log retention failed; will retry at the next sweep")]
    private partial void LogSweepFailed(Exception exception);
}
