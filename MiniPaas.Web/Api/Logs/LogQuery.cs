using System.Globalization;

namespace MiniPaas.Web.Api.Logs;

/// <summary>
/// The filters every log endpoint takes: <c>after</c> (seq), <c>limit</c>, <c>level</c> (this level and above) and
/// <c>q</c> (case-insensitive text). Parsed and checked at the edge so each problem is reported at its parameter.
/// </summary>
public sealed record LogQuery(long After, int Limit, int? MinLevel, string? Text)
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 5_000;

    /// <summary>Levels from lowest to highest; <c>level=warn</c> keeps warn, error and fatal.</summary>
    public static readonly IReadOnlyList<string> Levels = ["trace", "debug", "info", "warn", "error", "fatal"];

    public static LogQuery Parse(HttpRequest request, out Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = request.Query;

        long after = 0;
        // A reconnecting EventSource sends the last id it saw; it resumes the stream exactly there.
        var afterText = query["after"].ToString() is { Length: > 0 } a ? a : request.Headers["Last-Event-ID"].ToString();
        if (afterText.Length > 0 && (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
        {
            errors["after"] = ["after is the seq of the last line already seen: a whole number of 0 or more."];
        }

        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"limit is a whole number from 1 to {MaxLimit}."];
        }

        int? minLevel = null;
        if (query["level"].ToString() is { Length: > 0 } levelText)
        {
            var index = Levels.ToList().FindIndex(l => string.Equals(l, levelText, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                errors["level"] = [$"level is one of {string.Join(", ", Levels)}."];
            }
            else
            {
                minLevel = index;
            }
        }

        var text = query["q"].ToString();
        return new LogQuery(after, limit, minLevel, text.Length == 0 ? null : text);
    }

    /// <summary>True when the line passes the level and text filters (seq is checked by the caller).</summary>
    public bool Matches(LogItemDto item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (MinLevel is { } min && Levels.ToList().IndexOf(item.Level) < min)
        {
            return false;
        }

        return Text is null || item.Line.Contains(Text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The page of <paramref name="history"/> (ordered by seq) after <see cref="After"/> that passes the filters.</summary>
    public LogPageDto Page(IReadOnlyList<LogItemDto> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var items = new List<LogItemDto>(Math.Min(Limit, history.Count));
        var hasMore = false;
        var last = After;
        foreach (var item in history)
        {
            if (item.Seq <= After)
            {
                continue;
            }

            if (Matches(item))
            {
                if (items.Count == Limit)
                {
                    hasMore = true;
                    break;
                }

                items.Add(item);
            }

            last = item.Seq;
        }

        return new LogPageDto(items, last, hasMore);
    }
}
