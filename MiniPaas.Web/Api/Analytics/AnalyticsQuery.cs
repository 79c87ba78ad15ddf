using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using MiniPaas.Core.Analytics;

namespace MiniPaas.Web.Api.Analytics;

/// <summary>
/// The parameters every analytics endpoint takes: <c>from</c>/<c>to</c> (ISO 8601 instants, default the last 24 hours up to
/// now) and <c>bucket</c> (an ISO 8601 duration such as <c>PT5M</c>, or a short one such as <c>5m</c>, <c>1h</c>, <c>1d</c>;
/// null: the Core service picks one). Checked at the edge so each problem is reported at its parameter.
/// </summary>
public sealed partial record AnalyticsQuery(TimeRange Range, TimeSpan? Bucket)
{
    public static readonly TimeSpan DefaultLength = TimeSpan.FromHours(24);

    /// <summary>Longest range one request may ask for (the retention of rollups is far below it).</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(400);

    /// <summary>Most buckets one series may have, so a tiny bucket over a long range cannot make a huge answer.</summary>
    public const int MaxPoints = 2_000;

    /// <param name="unit">Buckets must be whole multiples of it (request rollups are per minute; stats samples per second).</param>
    public static AnalyticsQuery Parse(HttpRequest request, DateTimeOffset now, TimeSpan unit, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = request.Query;

        var to = ParseInstant(query["to"].ToString(), "to", errors) ?? now;
        var from = ParseInstant(query["from"].ToString(), "from", errors) ?? to - DefaultLength;
        if (!errors.ContainsKey("from") && !errors.ContainsKey("to"))
        {
            if (from >= to)
            {
                errors["from"] = ["from must be before to."];
            }
            else if (to - from > MaxLength)
            {
                errors["from"] = [$"The range from..to may span at most {MaxLength.TotalDays:0} days."];
            }
        }

        TimeSpan? bucket = null;
        if (query["bucket"].ToString() is { Length: > 0 } bucketText)
        {
            bucket = ParseDuration(bucketText);
            if (bucket is not { } b || b <= TimeSpan.Zero || b.Ticks % unit.Ticks != 0)
            {
                errors["bucket"] = [$"bucket is a duration of whole {UnitName(unit)} (ISO 8601 like PT5M, or 30s, 5m, 1h, 1d)."];
                bucket = null;
            }
            else if (b > TimeSpan.FromDays(31))
            {
                errors["bucket"] = ["bucket may be at most 31 days."];
            }
            else if (errors.Count == 0 && (to - from).Ticks / b.Ticks > MaxPoints)
            {
                errors["bucket"] = [$"bucket is too small for the range: at most {MaxPoints} buckets per series."];
            }
        }

        return new AnalyticsQuery(new TimeRange(from.ToUniversalTime(), to.ToUniversalTime()), bucket);
    }

    /// <summary>The duration in ISO 8601 form (<c>PT5M</c>), as answers report it.</summary>
    public static string Format(TimeSpan duration) => XmlConvert.ToString(duration);

    private static DateTimeOffset? ParseInstant(string text, string field, Dictionary<string, string[]> errors)
    {
        if (text.Length == 0)
        {
            return null;
        }

        // An instant without an offset would depend on the server's zone; ask for one instead of guessing.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            && (text.EndsWith('Z') || text.EndsWith('z') || OffsetSuffix().IsMatch(text)))
        {
            return value;
        }

        errors[field] = [$"{field} is an ISO 8601 instant with a zone, e.g. 2026-11-25T13:00:00Z."];
        return null;
    }

    private static TimeSpan? ParseDuration(string text)
    {
        if (ShortDuration().Match(text) is { Success: true } m
            && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100_000)
        {
            return m.Groups[2].Value.ToUpperInvariant() switch
            {
                "S" => TimeSpan.FromSeconds(n),
                "M" => TimeSpan.FromMinutes(n),
                "H" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
        }

        if (text.StartsWith('P'))
        {
            try
            {
                return XmlConvert.ToTimeSpan(text);
            }
            catch (FormatException)
            {
                return null;
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        return null;
    }

    private static string UnitName(TimeSpan unit) => unit == TimeSpan.FromMinutes(1) ? "minutes" : unit == TimeSpan.FromSeconds(1) ? "seconds" : Format(unit);

    [GeneratedRegex(@"^(\d{1,6})([smhdSMHD])$")]
    private static partial Regex ShortDuration();

    [GeneratedRegex(@"[+-]\d{2}:?\d{2}$")]
    private static partial Regex OffsetSuffix();
}
