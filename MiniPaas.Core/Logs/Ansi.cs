using System.Text.RegularExpressions;

namespace MiniPaas.Core.Logs;

/// <summary>ANSI escape sequences in log lines: kept in stored text for colour, removed for search and plain downloads.</summary>
public static partial class Ansi
{
    public const char Escape = '\u001b';

    /// <summary>The text without escape sequences (CSI such as colours and cursor moves, OSC such as hyperlinks).</summary>
    public static string Strip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains(Escape, StringComparison.Ordinal) ? EscapeSequence().Replace(text, string.Empty) : text;
    }

    /// <summary>CSI (<c>ESC [ … final</c>), OSC (<c>ESC ] … BEL|ESC \</c>) and two-character escapes.</summary>
    [GeneratedRegex(@"\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])", RegexOptions.CultureInvariant)]
    internal static partial Regex EscapeSequence();
}
