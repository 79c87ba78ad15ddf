using System.Text;
using System.Text.RegularExpressions;
using MiniPaas.Core.Checkouts;

namespace MiniPaas.Core.Building;

/// <summary>
/// The rules of a <c>.dockerignore</c> file with Docker's semantics: patterns are anchored at the context root (a leading <c>/</c>
/// changes nothing), <c>*</c> and <c>?</c> stay within one path segment, <c>**</c> spans any number of segments, a trailing <c>/</c>
/// is dropped, <c>#</c> starts a comment, <c>!</c> re-includes, and the last matching rule wins. A rule that matches a folder
/// excludes everything below it.
/// </summary>
public sealed class DockerIgnore
{
    /// <summary>The file's name, at the root of the context.</summary>
    public const string FileName = ".dockerignore";

    private readonly IReadOnlyList<Rule> _rules;

    private DockerIgnore(IReadOnlyList<Rule> rules) => _rules = rules;

    /// <summary>True when some rule is an exception (<c>!pattern</c>), so an excluded folder may still hold included files.</summary>
    public bool HasExceptions => _rules.Any(r => r.IsException);

    /// <summary>Parses the text of a <c>.dockerignore</c>.</summary>
    public static DockerIgnore Parse(string? text)
    {
        var rules = new List<Rule>();
        foreach (var raw in (text ?? string.Empty).Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var isException = line[0] == '!';
            if (isException)
            {
                line = line[1..].Trim();
            }

            var pattern = Clean(line);
            if (pattern.Length == 0)
            {
                continue;
            }

            rules.Add(new Rule(pattern, isException, new Regex("^" + ToRegex(pattern) + "$", RegexOptions.CultureInvariant)));
        }

        return new DockerIgnore(rules);
    }

    /// <summary>Reads <c>.dockerignore</c> from the context folder; no file means no rules.</summary>
    /// <exception cref="CheckoutFileRefusedException">It is a link out of the checkout, a special file or too large.</exception>
    public static DockerIgnore Load(string contextDirectory) => Load(new CheckoutFiles(contextDirectory));

    /// <inheritdoc cref="Load(string)"/>
    public static DockerIgnore Load(CheckoutFiles context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Parse(context.ReadRequiredText(FileName, FileName));
    }

    /// <summary>True when <paramref name="relativePath"/> ('/' separated, relative to the context) is excluded.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = Clean(relativePath);
        var parents = Parents(path);
        var excluded = false;
        foreach (var rule in _rules)
        {
            // A rule matching the path or one of its folders decides, later rules override earlier ones.
            if (rule.Regex.IsMatch(path) || parents.Any(rule.Regex.IsMatch))
            {
                excluded = !rule.IsException;
            }
        }

        return excluded;
    }

    private static List<string> Parents(string path)
    {
        var parents = new List<string>();
        for (var i = path.IndexOf('/', StringComparison.Ordinal); i >= 0; i = path.IndexOf('/', i + 1))
        {
            parents.Add(path[..i]);
        }

        return parents;
    }

    // Like Go's filepath.Clean on a relative path: '/' separators, no leading '/', no trailing '/', no '.' segments, '..' resolved.
    private static string Clean(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Replace('\\', '/').Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        return string.Join('/', segments);
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        // "**/" matches zero or more whole folders.
                        i++;
                        regex.Append("(.*/)?");
                    }
                    else
                    {
                        regex.Append(".*");
                    }

                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        regex.Append(@"\[");
                        break;
                    }

                    var set = pattern[(i + 1)..end];
                    if (set.StartsWith('^') || set.StartsWith('!'))
                    {
                        set = "^" + set[1..];
                    }

                    regex.Append('[').Append(set.Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    i++;
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return regex.ToString();
    }

    private sealed record Rule(string Pattern, bool IsException, Regex Regex);
}
