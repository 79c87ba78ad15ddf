using System.Text;
using System.Text.RegularExpressions;

namespace MiniPaas.Core.Variables;

/// <summary>
/// Writes variables as <c>.env</c> text that <see cref="DotEnvParser"/> reads back to the same values: plain values
/// unquoted, values with spaces, <c>#</c>, <c>$</c> or quotes in single quotes (literal), values with newlines or single
/// quotes in double quotes with <c>\\ \" \n \r</c> escaped.
/// </summary>
public static partial class DotEnvWriter
{
    public static string Write(IEnumerable<KeyValuePair<string, string>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var text = new StringBuilder();
        foreach (var (key, value) in variables)
        {
            text.Append(key).Append('=').Append(Quote(value)).Append('\n');
        }

        return text.ToString();
    }

    internal static string Quote(string value)
    {
        if (PlainValue().IsMatch(value))
        {
            return value;
        }

        if (!value.Contains('\'', StringComparison.Ordinal) && !value.Contains('\n', StringComparison.Ordinal) && !value.Contains('\r', StringComparison.Ordinal))
        {
            return "'" + value + "'";
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_./:@,+%=\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainValue();
}
