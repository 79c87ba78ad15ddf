using MiniPaas.Core.Analytics;

namespace MiniPaas.Web.Components.Analytics;

/// <summary>The time ranges the analytics page offers.</summary>
public enum AnalyticsRangePreset
{
    LastHour,
    Last24Hours,
    Last7Days,
    Last30Days,
    Custom,
}

/// <summary>
/// The range an analytics view shows: a preset that slides with the clock, or fixed custom days (UTC). Passed to the
/// container-stats slot so CPU/memory charts show the same window.
/// </summary>
public sealed record AnalyticsWindow(AnalyticsRangePreset Preset, DateOnly? CustomFrom = null, DateOnly? CustomTo = null)
{
    /// <summary>The concrete range at <paramref name="now"/>; custom ranges run from the first day's midnight to the end of the last day.</summary>
    public TimeRange Resolve(DateTimeOffset now) => Preset switch
    {
        AnalyticsRangePreset.LastHour => TimeRange.Last(TimeSpan.FromHours(1), now),
        AnalyticsRangePreset.Last24Hours => TimeRange.Last(TimeSpan.FromHours(24), now),
        AnalyticsRangePreset.Last7Days => TimeRange.Last(TimeSpan.FromDays(7), now),
        AnalyticsRangePreset.Last30Days => TimeRange.Last(TimeSpan.FromDays(30), now),
        _ => new TimeRange(
            new DateTimeOffset((CustomFrom ?? DateOnly.FromDateTime(now.UtcDateTime)).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            new DateTimeOffset((CustomTo ?? CustomFrom ?? DateOnly.FromDateTime(now.UtcDateTime)).AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
    };

    /// <summary>Whether new requests can fall in the range (so live updates matter).</summary>
    public bool IsLive(DateTimeOffset now) => Resolve(now).To >= now;

    public static string Label(AnalyticsRangePreset preset) => preset switch
    {
        AnalyticsRangePreset.LastHour => "1 h",
        AnalyticsRangePreset.Last24Hours => "24 h",
        AnalyticsRangePreset.Last7Days => "7 d",
        AnalyticsRangePreset.Last30Days => "30 d",
        _ => "Custom",
    };
}
