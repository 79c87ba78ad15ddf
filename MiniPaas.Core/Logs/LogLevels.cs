using System.Text.Json;
using System.Text.RegularExpressions;

namespace MiniPaas.Core.Logs;

/// <summary>The levels MiniPaas tells apart, lowest first, and how a line's level is detected.</summary>
public static partial class LogLevels
{
    public const string Trace = "trace";
    public const string Debug = "debug";
    public const string Info = "info";
    public const string Warn = "warn";
    public const string Error = "error";
    public const string Fatal = "fatal";

    public static IReadOnlyList<string> All { get; } = [Trace, Debug, Info, Warn, Error, Fatal];

    private static readonly string[] JsonLevelFields = ["level", "lvl", "severity", "log.level", "loglevel", "levelname"];

    /// <summary>
    /// The level the line states (a JSON <c>level</c> field, or a common text marker near the start); when it states none,
    /// stderr hints at <see cref="Error"/> and stdout at nothing — the content always wins over the stream.
    /// </summary>
    public static string? Detect(string text, bool isStderr)
    {
        ArgumentNullException.ThrowIfNull(text);
        var plain = Ansi.Strip(text).TrimStart();
        var stated = plain.StartsWith('{') ? FromJson(plain) : null;
        stated ??= FromText(plain);
        return stated ?? (isStderr ? Error : null);
    }

    /// <summary>Normalises a level name or number (pino/bunyan: 10…60) to one of <see cref="All"/>, or null.</summary>
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return value.Trim().ToUpperInvariant() switch
        {
            "TRACE" or "TRC" or "VERBOSE" or "VRB" or "10" => Trace,
            "DEBUG" or "DBG" or "20" => Debug,
            "INFO" or "INF" or "INFORMATION" or "NOTICE" or "30" => Info,
            "WARN" or "WARNING" or "WRN" or "40" => Warn,
            "ERROR" or "ERR" or "EROR" or "50" => Error,
            "FATAL" or "FTL" or "CRITICAL" or "CRIT" or "PANIC" or "EMERG" or "ALERT" or "60" => Fatal,
            _ => null,
        };
    }

    /// <summary>Index of <paramref name="level"/> in <see cref="All"/>; unknown levels rank as info.</summary>
    public static int Rank(string? level) => level is null ? 2 : Math.Max(0, IndexOf(level));

    private static int IndexOf(string level)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], level, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return 2;
    }

    private static string? FromJson(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!JsonLevelFields.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                var level = property.Value.ValueKind switch
                {
                    JsonValueKind.String => Normalize(property.Value.GetString()),
                    JsonValueKind.Number => Normalize(property.Value.GetRawText()),
                    _ => null,
                };
                if (level is not null)
                {
                    return level;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: fall back to the text patterns.
        }

        return null;
    }

    private static string? FromText(string text)
    {
        // Only the start of the line: a message that merely mentions "error" later is not an error line.
        var head = text.Length > 80 ? text[..80] : text;
        var match = TextLevel().Match(head);
        return match.Success ? Normalize(match.Groups["level"].Value) : null;
    }

    // Upper-case words (ERROR, WARN), bracketed or key=value forms in any case ([error], level=warn), and single-letter-free
    // abbreviations used by common loggers (INF, WRN, ERR).
    [GeneratedRegex(
        @"(?:\b(?<level>TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL|CRITICAL|PANIC|TRC|DBG|INF|WRN|ERR|FTL|CRIT)\b)" +
        @"|(?:[\[<(](?i:(?<level>trace|debug|info|warn|warning|error|fatal|critical|panic))[\]>)])" +
        @"|(?:(?i:level|lvl|severity)\s*[=:]\s*""?(?i:(?<level>trace|debug|info|warn|warning|error|fatal|critical|panic))\b)",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex TextLevel();
}
