using System.Globalization;
using Microsoft.Extensions.Options;

namespace MiniPaas.Core.Analytics;

/// <summary>Request capture and ingestion, bound from <c>MiniPaas:Analytics</c>.</summary>
public sealed class AnalyticsOptions
{
    public const string SectionName = "MiniPaas:Analytics";

    /// <summary>Capture proxied requests at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests held in memory while the ingestor is behind or PostgreSQL is down; beyond it new requests are counted and dropped. Default 100,000.</summary>
    public int BufferCapacity { get; set; } = 100_000;

    /// <summary>Most requests written in one batch. Default 5,000.</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>Longest a captured request waits before its batch is written. Default 1 s.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Batches smaller than this use a multi-row INSERT instead of binary COPY (COPY has a fixed start-up cost). Default 32.</summary>
    public int CopyThreshold { get; set; } = 32;

    /// <summary>First wait before retrying a batch PostgreSQL refused; doubles up to 30 s. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Keep the query string of request paths. Default false: query strings often carry tokens and personal data.</summary>
    public bool KeepQueryString { get; set; }

    /// <summary>Store the client's IP address with each request. Default false: only the daily visitor hash is kept.</summary>
    public bool StoreClientIp { get; set; }
}

/// <summary>How long analytics data is kept, bound from <c>MiniPaas:Retention</c> (the logs area binds its own keys of the same section).</summary>
public sealed class AnalyticsRetentionOptions
{
    public const string SectionName = "MiniPaas:Retention";

    /// <summary>Raw request events (one row per request; top paths and referrers come from them). Default 7 days.</summary>
    public TimeSpan AnalyticsRaw { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Per-minute rollups and hourly visitor sets (the charts). Default 90 days.</summary>
    public TimeSpan AnalyticsRollups { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often the retention job runs. Default 1 hour.</summary>
    public TimeSpan AnalyticsSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement, so a large purge never holds long locks or one huge transaction. Default 10,000.</summary>
    public int AnalyticsDeleteBatch { get; set; } = 10_000;
}

/// <summary>Checks <see cref="AnalyticsOptions"/> and reports every problem at once.</summary>
public sealed class AnalyticsOptionsValidator : IValidateOptions<AnalyticsOptions>
{
    public ValidateOptionsResult Validate(string? name, AnalyticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.BufferCapacity < 1)
        {
            errors.Add("MiniPaas:Analytics:BufferCapacity must be at least 1.");
        }

        if (options.BatchSize < 1)
        {
            errors.Add("MiniPaas:Analytics:BatchSize must be at least 1.");
        }

        if (options.CopyThreshold < 0)
        {
            errors.Add("MiniPaas:Analytics:CopyThreshold must not be negative.");
        }

        if (options.FlushInterval <= TimeSpan.Zero)
        {
            errors.Add("MiniPaas:Analytics:FlushInterval must be positive.");
        }

        if (options.RetryDelay <= TimeSpan.Zero)
        {
            errors.Add("MiniPaas:Analytics:RetryDelay must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Checks <see cref="AnalyticsRetentionOptions"/>: positive periods, rollups kept at least as long as raw events.</summary>
public sealed class AnalyticsRetentionOptionsValidator : IValidateOptions<AnalyticsRetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, AnalyticsRetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.AnalyticsRaw <= TimeSpan.Zero)
        {
            errors.Add("MiniPaas:Retention:AnalyticsRaw must be positive.");
        }

        if (options.AnalyticsRollups < options.AnalyticsRaw)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"MiniPaas:Retention:AnalyticsRollups ({options.AnalyticsRollups}) must be at least MiniPaas:Retention:AnalyticsRaw ({options.AnalyticsRaw})."));
        }

        if (options.AnalyticsSweepInterval <= TimeSpan.Zero)
        {
            errors.Add("MiniPaas:Retention:AnalyticsSweepInterval must be positive.");
        }

        if (options.AnalyticsDeleteBatch < 1)
        {
            errors.Add("MiniPaas:Retention:AnalyticsDeleteBatch must be at least 1.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
