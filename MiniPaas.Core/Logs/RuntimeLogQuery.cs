using System.Text;
using MiniPaas.Core.Events;
using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Persistence;
using Npgsql;

namespace MiniPaas.Core.Logs;

/// <summary>What to read: a project's or a deployment's lines, after/before a seq, at or above a level, containing a text.</summary>
/// <param name="ProjectId">Lines of this project (all its deployments); null = no project filter.</param>
/// <param name="DeploymentId">Lines of this deployment; null = no deployment filter.</param>
/// <param name="AfterSeq">Only lines with a greater seq.</param>
/// <param name="BeforeSeq">Only lines with a smaller seq.</param>
/// <param name="Limit">Most lines returned (1…10,000).</param>
/// <param name="MinLevel">Only lines at or above this level (lines without a level count as info).</param>
/// <param name="Text">Case-insensitive text the line contains, ignoring ANSI codes.</param>
/// <param name="Newest">Take the newest <paramref name="Limit"/> matches instead of the oldest (still returned oldest first).</param>
public sealed record RuntimeLogFilter(
    long? ProjectId = null,
    long? DeploymentId = null,
    long? AfterSeq = null,
    long? BeforeSeq = null,
    int Limit = 1_000,
    string? MinLevel = null,
    string? Text = null,
    bool Newest = false)
{
    public const int MaxLimit = 10_000;
}

/// <summary>Where a deployment's log reading resumes: the last stored engine timestamp and how many stored lines share it.</summary>
public sealed record ResumePoint(EngineTimestamp Last, int LinesAtLast);

/// <summary>Reads stored runtime logs (plus lines still on their way to the table) for the dashboard and the API.</summary>
public sealed class RuntimeLogQuery(IDbContextFactory<MiniPaasDbContext> dbFactory, RuntimeLogWriter writer, RuntimeLogFeed feed)
{
    /// <summary>
    /// The newest <paramref name="historyLines"/> stored lines of a deployment as the first batch, then its live lines: subscribed
    /// before history is read and de-duplicated by seq, so nothing falls in between and nothing shows twice.
    /// </summary>
    public IAsyncEnumerable<FeedBatch<RuntimeLogLine>> WatchAsync(long deploymentId, int historyLines = 5_000, CancellationToken ct = default) =>
        feed.WatchWithHistoryAsync(
            deploymentId,
            token => ReadAsync(new RuntimeLogFilter(DeploymentId: deploymentId, Limit: historyLines, Newest: true), token),
            ct);

    /// <summary>Lines matching <paramref name="filter"/>, oldest first.</summary>
    public async Task<IReadOnlyList<RuntimeLogLine>> ReadAsync(RuntimeLogFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.ProjectId is null && filter.DeploymentId is null)
        {
            throw new ArgumentException("A project or a deployment is required.", nameof(filter));
        }

        var limit = Math.Clamp(filter.Limit, 1, RuntimeLogFilter.MaxLimit);
        var allowed = AllowedLevels(filter.MinLevel);
        var needle = string.IsNullOrEmpty(filter.Text) ? null : filter.Text;

        // Unsaved lines first, then the table: a line saved in between is found in the table, so none falls in a gap.
        var unsaved = writer.Unsaved(l =>
            (filter.ProjectId is null || l.ProjectId == filter.ProjectId)
            && (filter.DeploymentId is null || l.DeploymentId == filter.DeploymentId)
            && (filter.AfterSeq is null || l.Seq > filter.AfterSeq)
            && (filter.BeforeSeq is null || l.Seq < filter.BeforeSeq)
            && (allowed is null || allowed.Contains(l.Level ?? LogLevels.Info))
            && (needle is null || Ansi.Strip(l.Text).Contains(needle, StringComparison.OrdinalIgnoreCase)));

        var sql = new StringBuilder("SELECT seq, project_id, deployment_id, timestamp, stream, level, line FROM runtime_logs WHERE true");
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand { Connection = connection };
        if (filter.ProjectId is { } projectId)
        {
            sql.Append(" AND project_id = @project");
            command.Parameters.AddWithValue("project", projectId);
        }

        if (filter.DeploymentId is { } deploymentId)
        {
            sql.Append(" AND deployment_id = @deployment");
            command.Parameters.AddWithValue("deployment", deploymentId);
        }

        if (filter.AfterSeq is { } after)
        {
            sql.Append(" AND seq > @after");
            command.Parameters.AddWithValue("after", after);
        }

        if (filter.BeforeSeq is { } before)
        {
            sql.Append(" AND seq < @before");
            command.Parameters.AddWithValue("before", before);
        }

        if (allowed is not null)
        {
            sql.Append(allowed.Contains(LogLevels.Info) ? " AND (level IS NULL OR level = ANY(@levels))" : " AND level = ANY(@levels)");
            command.Parameters.AddWithValue("levels", allowed.ToArray());
        }

        if (needle is not null)
        {
            // Search ignores colour codes: "ERROR" matches "\e[31mERROR\e[0m". The needle is a parameter, its wildcards escaped.
            sql.Append(@" AND regexp_replace(line, E'\\x1b(\\[[0-?]*[ -/]*[@-~]|\\][^\\x07\\x1b]*(\\x07|\\x1b\\\\)?)', '', 'g') ILIKE @needle ESCAPE '\'");
            command.Parameters.AddWithValue("needle", "%" + EscapeLike(needle) + "%");
        }

        sql.Append(filter.Newest ? " ORDER BY seq DESC" : " ORDER BY seq");
        sql.Append(" LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        command.CommandText = sql.ToString();

        var stored = new List<RuntimeLogLine>();
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                stored.Add(new RuntimeLogLine(
                    reader.GetInt64(0),
                    reader.GetInt64(1),
                    reader.GetInt64(2),
                    reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetString(6)));
            }
        }

        var merged = stored.Concat(unsaved).DistinctBy(l => l.Seq);
        var ordered = filter.Newest ? merged.OrderByDescending(l => l.Seq).Take(limit).Reverse() : merged.OrderBy(l => l.Seq).Take(limit);
        return [.. ordered];
    }

    /// <summary>Lines of a deployment dropped so far (rate limit, full buffer), as recorded.</summary>
    public async Task<long> DroppedAsync(long deploymentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        return await db.Set<RuntimeLogDropRecord>().Where(d => d.DeploymentId == deploymentId).Select(d => d.Dropped)
            .FirstOrDefaultAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Where reading <paramref name="deploymentId"/>'s container output resumes; null when nothing of it is stored. Lines still on
    /// their way to the table count too (a container that stops and starts again must not be read twice from before them).
    /// </summary>
    public async Task<ResumePoint?> ResumePointAsync(long deploymentId, CancellationToken ct = default)
    {
        // Unsaved first, then the table: a line saved in between shows up in both and is counted once, by seq.
        var unsaved = writer.Unsaved(l => l.DeploymentId == deploymentId && l.Stream != RuntimeLogLine.NoticeStream);
        await using var db = await dbFactory.CreateDbContextAsync(ct).ConfigureAwait(false);
        var lines = db.RuntimeLogs.AsNoTracking().Where(l => l.DeploymentId == deploymentId && l.Stream != RuntimeLogLine.NoticeStream);
        var storedLast = await lines.OrderByDescending(l => l.Seq).Select(l => (DateTimeOffset?)l.Timestamp).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        DateTimeOffset? last = unsaved.Count == 0 ? storedLast : unsaved[^1].Timestamp;
        if (storedLast is { } stored && (last is null || stored > last))
        {
            last = stored;
        }

        if (last is not { } timestamp)
        {
            return null;
        }

        var storedSeqs = await lines.Where(l => l.Timestamp == timestamp).Select(l => l.Seq).ToListAsync(ct).ConfigureAwait(false);
        var atLast = storedSeqs.Union(unsaved.Where(l => l.Timestamp == timestamp).Select(l => l.Seq)).Count();
        return new ResumePoint(EngineTimestamp.FromStored(timestamp), atLast);
    }

    private static HashSet<string>? AllowedLevels(string? minLevel)
    {
        if (LogLevels.Normalize(minLevel) is not { } normalized)
        {
            return null;
        }

        var rank = LogLevels.Rank(normalized);
        return [.. LogLevels.All.Where(l => LogLevels.Rank(l) >= rank)];
    }

    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
