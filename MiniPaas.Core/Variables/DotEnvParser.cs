using System.Text;

namespace MiniPaas.Core.Variables;

/// <summary>One <c>KEY=value</c> read from a <c>.env</c> text, with the line it starts on.</summary>
public sealed record DotEnvEntry(string Key, string Value, int Line);

/// <summary>A line that could not be read, and why.</summary>
public sealed record DotEnvProblem(int Line, string Message);

/// <summary>The entries of a <c>.env</c> text (a key given twice keeps its last value, with a warning) and the lines refused.</summary>
public sealed record DotEnvParseResult(IReadOnlyList<DotEnvEntry> Entries, IReadOnlyList<DotEnvProblem> Errors, IReadOnlyList<DotEnvProblem> Warnings)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Reads <c>.env</c> text the way people paste it: blank lines and <c>#</c> comments skipped, an optional <c>export</c>
/// prefix, <c>KEY=value</c> with the value unquoted (trimmed; <c> #</c> starts a comment), in single quotes (taken
/// literally, may span lines) or in double quotes (may span lines; escapes <c>\n \r \t \" \\ \$</c>, any other
/// backslash kept). Nothing is expanded: <c>$(id)</c> and <c>${X}</c> stay as written. A line without <c>=</c> is an
/// error, never silently joined to the previous value.
/// </summary>
public static class DotEnvParser
{
    public static DotEnvParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var entries = new List<DotEnvEntry>();
        var errors = new List<DotEnvProblem>();
        var warnings = new List<DotEnvProblem>();
        for (var index = 0; index < lines.Length; index++)
        {
            var lineNumber = index + 1;
            var line = lines[index].TrimStart();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("export", StringComparison.Ordinal) && line.Length > 6 && char.IsWhiteSpace(line[6]))
            {
                line = line[6..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                errors.Add(new DotEnvProblem(lineNumber, $"\"{Shorten(line.TrimEnd())}\" has no '=': every line is KEY=value (a value spanning lines must be quoted)."));
                continue;
            }

            var key = line[..equals].Trim();
            if (!VariableRules.KeyPattern().IsMatch(key) || key.Length > VariableRules.MaxKeyLength)
            {
                errors.Add(new DotEnvProblem(lineNumber, $"\"{Shorten(key)}\" is not a valid key (letters, digits and _, not starting with a digit)."));
                continue;
            }

            var raw = line[(equals + 1)..];
            var rest = raw.TrimStart(' ', '\t');
            string? value;
            string? error;
            if (rest.Length > 0 && rest[0] is '"' or '\'')
            {
                (value, error, index) = ReadQuoted(lines, index, rest);
            }
            else
            {
                (value, error) = (Unquoted(rest, commentAtStart: rest.Length < raw.Length), null);
            }

            if (error is not null)
            {
                errors.Add(new DotEnvProblem(lineNumber, $"{key}: {error}"));
                continue;
            }

            var previous = entries.FindIndex(e => e.Key == key);
            if (previous >= 0)
            {
                warnings.Add(new DotEnvProblem(lineNumber, $"{key} is also set on line {entries[previous].Line}; the later value is kept."));
                entries.RemoveAt(previous);
            }

            entries.Add(new DotEnvEntry(key, value!, lineNumber));
        }

        return new DotEnvParseResult(entries, errors, warnings);
    }

    private static string Unquoted(string rest, bool commentAtStart)
    {
        // " #" starts a comment; a '#' inside a word (a URL fragment, a colour) does not.
        for (var i = 1; i < rest.Length; i++)
        {
            if (rest[i] == '#' && char.IsWhiteSpace(rest[i - 1]))
            {
                return rest[..i].TrimEnd();
            }
        }

        return commentAtStart && rest.Length > 0 && rest[0] == '#' ? "" : rest.TrimEnd();
    }

    private static (string? Value, string? Error, int LastLineIndex) ReadQuoted(string[] lines, int index, string rest)
    {
        var quote = rest[0];
        var value = new StringBuilder();
        var text = rest[1..];
        var start = index;
        while (true)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == quote)
                {
                    var after = text[(i + 1)..].Trim();
                    return after.Length == 0 || after[0] == '#'
                        ? (value.ToString(), null, index)
                        : (null, $"unexpected text after the closing quote: \"{Shorten(after)}\".", index);
                }

                if (quote == '"' && c == '\\' && i + 1 < text.Length)
                {
                    var next = text[++i];
                    value.Append(next switch
                    {
                        'n' => "\n",
                        'r' => "\r",
                        't' => "\t",
                        '"' => "\"",
                        '\\' => "\\",
                        '$' => "$",
                        _ => "\\" + next,
                    });
                    continue;
                }

                value.Append(c);
            }

            if (++index >= lines.Length)
            {
                return (null, $"the {(quote == '"' ? "double" : "single")} quote opened on line {start + 1} is never closed.", index - 1);
            }

            value.Append('\n');
            text = lines[index];
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
