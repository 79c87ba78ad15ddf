using System.Globalization;
using System.Text;

namespace MiniPaas.Web.Components.Logs;

/// <summary>A run of text with one colour/weight style (CSS built only from numbers MiniPaas parsed, never from log text).</summary>
public sealed record AnsiSegment(string Text, string? Style);

/// <summary>
/// Reads ANSI SGR colour codes (<c>ESC[…m</c>) in a log line into styled segments. Nothing else is interpreted: any other escape
/// sequence (cursor moves, OSC-8 hyperlinks, titles) stays visible as text with the escape shown as ␛, and the text itself is
/// always rendered as text by Blazor, so markup in a log line is shown, never run.
/// </summary>
public static class AnsiText
{
    private const char Escape = '\u001b';
    private const char VisibleEscape = '\u241b';

    private static readonly string[] BasicColours =
    [
        "#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
        "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff",
    ];

    public static IReadOnlyList<AnsiSegment> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains(Escape, StringComparison.Ordinal))
        {
            return [new AnsiSegment(text, null)];
        }

        var segments = new List<AnsiSegment>();
        var state = new SgrState();
        var current = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != Escape)
            {
                current.Append(c);
                i++;
                continue;
            }

            if (TryReadSgr(text, i, out var parameters, out var end))
            {
                Flush(segments, current, state);
                state.Apply(parameters);
                i = end;
                continue;
            }

            // Not a colour code: show it as text instead of acting on it.
            current.Append(VisibleEscape);
            i++;
        }

        Flush(segments, current, state);
        return segments;
    }

    private static void Flush(List<AnsiSegment> segments, StringBuilder current, SgrState state)
    {
        if (current.Length > 0)
        {
            segments.Add(new AnsiSegment(current.ToString(), state.Style));
            current.Clear();
        }
    }

    // ESC [ digits/semicolons m — nothing else.
    private static bool TryReadSgr(string text, int start, out List<int> parameters, out int end)
    {
        parameters = [];
        end = start;
        if (start + 1 >= text.Length || text[start + 1] != '[')
        {
            return false;
        }

        var value = 0;
        var hasValue = false;
        for (var i = start + 2; i < text.Length && i < start + 64; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                value = Math.Min(value * 10 + (c - '0'), 100_000);
                hasValue = true;
            }
            else if (c == ';')
            {
                parameters.Add(hasValue ? value : 0);
                value = 0;
                hasValue = false;
            }
            else if (c == 'm')
            {
                parameters.Add(hasValue ? value : 0);
                end = i + 1;
                return true;
            }
            else
            {
                return false;
            }
        }

        return false;
    }

    private sealed class SgrState
    {
        private string? _foreground;
        private string? _background;
        private bool _bold;
        private bool _dim;
        private bool _italic;
        private bool _underline;

        public string? Style
        {
            get
            {
                if (_foreground is null && _background is null && !_bold && !_dim && !_italic && !_underline)
                {
                    return null;
                }

                var style = new StringBuilder();
                if (_foreground is not null)
                {
                    style.Append("color:").Append(_foreground).Append(';');
                }

                if (_background is not null)
                {
                    style.Append("background-color:").Append(_background).Append(';');
                }

                if (_bold)
                {
                    style.Append("font-weight:bold;");
                }

                if (_dim)
                {
                    style.Append("opacity:0.7;");
                }

                if (_italic)
                {
                    style.Append("font-style:italic;");
                }

                if (_underline)
                {
                    style.Append("text-decoration:underline;");
                }

                return style.ToString();
            }
        }

        public void Apply(List<int> codes)
        {
            for (var i = 0; i < codes.Count; i++)
            {
                var code = codes[i];
                switch (code)
                {
                    case 0:
                        _foreground = _background = null;
                        _bold = _dim = _italic = _underline = false;
                        break;
                    case 1: _bold = true; break;
                    case 2: _dim = true; break;
                    case 3: _italic = true; break;
                    case 4: _underline = true; break;
                    case 22: _bold = _dim = false; break;
                    case 23: _italic = false; break;
                    case 24: _underline = false; break;
                    case >= 30 and <= 37: _foreground = BasicColours[code - 30]; break;
                    case >= 90 and <= 97: _foreground = BasicColours[code - 90 + 8]; break;
                    case 39: _foreground = null; break;
                    case >= 40 and <= 47: _background = BasicColours[code - 40]; break;
                    case >= 100 and <= 107: _background = BasicColours[code - 100 + 8]; break;
                    case 49: _background = null; break;
                    case 38 or 48:
                        var colour = ExtendedColour(codes, ref i);
                        if (code == 38)
                        {
                            _foreground = colour ?? _foreground;
                        }
                        else
                        {
                            _background = colour ?? _background;
                        }

                        break;
                    default:
                        break;
                }
            }
        }

        // 38;5;n (256 colours) or 38;2;r;g;b (true colour); advances i past what it used.
        private static string? ExtendedColour(List<int> codes, ref int i)
        {
            if (i + 2 < codes.Count && codes[i + 1] == 5)
            {
                var n = codes[i + 2];
                i += 2;
                return n is >= 0 and <= 255 ? Palette256(n) : null;
            }

            if (i + 4 < codes.Count && codes[i + 1] == 2)
            {
                var (r, g, b) = (codes[i + 2], codes[i + 3], codes[i + 4]);
                i += 4;
                return r <= 255 && g <= 255 && b <= 255 ? Hex(r, g, b) : null;
            }

            return null;
        }

        private static string Palette256(int n)
        {
            if (n < 16)
            {
                return BasicColours[n];
            }

            if (n < 232)
            {
                var index = n - 16;
                int Level(int v) => v == 0 ? 0 : 55 + (v * 40);
                return Hex(Level(index / 36), Level(index / 6 % 6), Level(index % 6));
            }

            var grey = 8 + ((n - 232) * 10);
            return Hex(grey, grey, grey);
        }

        private static string Hex(int r, int g, int b) => string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
    }
}
