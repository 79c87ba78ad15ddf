using System.Text.RegularExpressions;
using MiniPaas.Core.Checkouts;

namespace MiniPaas.Core.Variables;

/// <summary>
/// Suggests the variables a checkout needs, each with the reason and file:line: keys of <c>.env.example</c> /
/// <c>.env.sample</c> / <c>.env.template</c>; reads of the environment in source code (JavaScript/TypeScript, Python,
/// Ruby, Go, C#, Prisma schemas, compose <c>environment:</c>); and framework templates (Express, Django, Flask, Rails,
/// Prisma, Mongoose, Redis clients, ASP.NET Core). Dependency and build folders are skipped and big files ignored,
/// so a scan stays fast on any repository; files are read through <see cref="CheckoutFiles"/>, so a link never takes the
/// scan out of the checkout and linked folders are not entered.
/// </summary>
public static partial class VariableSuggester
{
    /// <summary>Files larger than this are not read (minified bundles, data files).</summary>
    public const long MaxFileBytes = 512 * 1024;

    /// <summary>At most this many files are read per scan.</summary>
    public const int MaxFiles = 5000;

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal)
    {
        "node_modules", ".git", "vendor", "dist", "build", ".next", ".nuxt", "out", "coverage", "__pycache__", ".venv", "venv",
        "env", ".tox", "target", "bin", "obj", ".gradle", ".idea", ".vscode", "bower_components", ".svelte-kit", "tmp", "log",
    };

    private static readonly HashSet<string> ExampleFiles = new(StringComparer.OrdinalIgnoreCase) { ".env.example", ".env.sample", ".env.template" };

    // Set by the system or the runtime in every container; suggesting them would only be noise.
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "PATH", "HOME", "HOSTNAME", "PWD", "USER", "SHELL", "TERM", "TMPDIR", "TEMP", "TMP", "LANG", "LC_ALL", "TZ",
        // Vite's built-in import.meta.env members.
        "MODE", "DEV", "PROD", "SSR", "BASE_URL",
    };

    private sealed record SourcePattern(Regex Pattern, string Describe);

    private static readonly Dictionary<string, SourcePattern[]> SourcePatterns = BuildSourcePatterns();

    /// <summary>Scans <paramref name="folder"/> (a checkout) and returns suggestions ordered by key.</summary>
    public static IReadOnlyList<VariableSuggestion> Suggest(string folder, CancellationToken ct = default) => Scan(folder, ct).Suggestions;

    /// <summary>
    /// Scans <paramref name="folder"/> (a checkout) through <see cref="CheckoutFiles"/>: links out of the checkout and special
    /// files are skipped and listed in <see cref="SuggesterScan.Skipped"/>; files over <see cref="MaxFileBytes"/> are skipped quietly.
    /// </summary>
    public static SuggesterScan Scan(string folder, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var files = new CheckoutFiles(folder, MaxFileBytes);
        var found = new Dictionary<string, Found>(StringComparer.Ordinal);
        foreach (var relative in files.EnumerateFiles(".", "*", int.MaxValue, SkippedFolders.Contains).Take(MaxFiles))
        {
            ct.ThrowIfCancellationRequested();
            var name = Path.GetFileName(relative);
            string? text;
            try
            {
                text = files.ReadText(relative);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (text is null)
            {
                continue;
            }

            var lines = SplitLines(text);
            if (ExampleFiles.Contains(name))
            {
                ScanExample(lines, relative, name, found);
                continue;
            }

            if (IsComposeFile(name))
            {
                ScanCompose(lines, relative, found);
            }

            if (SourcePatterns.TryGetValue(Path.GetExtension(name).ToLowerInvariant(), out var patterns))
            {
                ScanSource(lines, relative, patterns, found);
            }

            FrameworkTemplates.Scan(name, lines, relative, (key, value, reason, line) => Add(found, key, value, new SuggestionSource(reason, relative, line), required: false));
        }

        var suggestions = found.Values.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new VariableSuggestion(f.Key, f.Value, f.Sources, f.IsRequired))
            .ToList();
        // Bundles and data files over the limit are expected in any repository: only links and special files are worth a note.
        return new SuggesterScan(suggestions, files.Notes.Where(n => n.Refusal != CheckoutRefusal.TooLarge).ToList());
    }

    /// <summary>
    /// The pre-deploy check: variables some code reads without a default that are neither set on the project nor
    /// provided by MiniPaas. The deploy can still go ahead; the dashboard shows these and lets the user confirm.
    /// </summary>
    public static IReadOnlyList<VariableSuggestion> Missing(IReadOnlyList<VariableSuggestion> suggestions, IEnumerable<string> setKeys)
    {
        ArgumentNullException.ThrowIfNull(suggestions);
        var set = setKeys.ToHashSet(StringComparer.Ordinal);
        return suggestions.Where(s => s.IsRequired && !s.IsPlatformProvided && !set.Contains(s.Key)).ToList();
    }

    // Like File.ReadAllLines: "\r\n", "\n" and "\r" end a line.
    private static string[] SplitLines(string text)
    {
        var lines = new List<string>();
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return [.. lines];
    }

    private static void ScanExample(string[] lines, string relative, string name, Dictionary<string, Found> found)
    {
        var parsed = DotEnvParser.Parse(string.Join('\n', lines));
        foreach (var entry in parsed.Entries)
        {
            // An example file documents what can be set, not what the code cannot do without: a suggestion, not a requirement.
            Add(found, entry.Key, entry.Value.Length > 0 ? entry.Value : null, new SuggestionSource($"listed in {name}", relative, entry.Line), required: false);
        }
    }

    private static void ScanSource(string[] lines, string relative, SourcePattern[] patterns, Dictionary<string, Found> found)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            foreach (var pattern in patterns)
            {
                foreach (Match match in pattern.Pattern.Matches(line))
                {
                    var key = match.Groups["key"].Value;
                    var hasDefault = DefaultAfter().IsMatch(line.AsSpan(match.Index + match.Length));
                    Add(found, key, null, new SuggestionSource($"read by {pattern.Describe}", relative, i + 1), required: !hasDefault);
                }
            }
        }
    }

    private static bool IsComposeFile(string name) =>
        name is "docker-compose.yml" or "docker-compose.yaml" or "compose.yml" or "compose.yaml";

    // Only the common shapes: "environment:" followed by "- KEY=value" / "- KEY" items or "KEY: value" pairs, more indented.
    private static void ScanCompose(string[] lines, string relative, Dictionary<string, Found> found)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var header = ComposeEnvironment().Match(lines[i]);
            if (!header.Success)
            {
                continue;
            }

            var indent = header.Groups["indent"].Length;
            for (var j = i + 1; j < lines.Length; j++)
            {
                var line = lines[j];
                if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
                {
                    continue;
                }

                if (line.Length - line.TrimStart().Length <= indent)
                {
                    break;
                }

                var item = ComposeItem().Match(line);
                if (item.Success)
                {
                    var value = item.Groups["value"].Success ? item.Groups["value"].Value.Trim().Trim('"', '\'') : null;
                    // "${VAR}" or "$VAR" means compose takes it from the environment: the variable itself is needed.
                    var reference = value is null ? null : ComposeReference().Match(value);
                    var key = reference is { Success: true } ? reference.Groups["key"].Value : item.Groups["key"].Value;
                    var suggested = reference is { Success: true } ? null : value is { Length: > 0 } ? value : null;
                    Add(found, key, suggested, new SuggestionSource("in compose environment", relative, j + 1), required: suggested is null);
                }
            }
        }
    }

    private static void Add(Dictionary<string, Found> found, string key, string? value, SuggestionSource source, bool required)
    {
        if (Ignored.Contains(key) || !VariableRules.KeyPattern().IsMatch(key))
        {
            return;
        }

        if (!found.TryGetValue(key, out var entry))
        {
            found[key] = entry = new Found(key);
        }

        entry.Value ??= value;
        entry.IsRequired |= required;
        if (!entry.Sources.Contains(source))
        {
            entry.Sources.Add(source);
        }
    }

    private sealed class Found(string key)
    {
        public string Key { get; } = key;

        public string? Value { get; set; }

        public bool IsRequired { get; set; }

        public List<SuggestionSource> Sources { get; } = [];
    }

    private const string Key = "(?<key>[A-Za-z_][A-Za-z0-9_]*)";

    private static Dictionary<string, SourcePattern[]> BuildSourcePatterns()
    {
        SourcePattern P(string pattern, string describe) => new(new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), describe);
        SourcePattern[] js =
        [
            P($@"\bprocess\.env\.{Key}", "process.env"),
            P($@"\bprocess\.env\[\s*['""`]{Key}['""`]\s*\]", "process.env"),
            P($@"\bimport\.meta\.env\.{Key}", "import.meta.env (build time)"),
        ];
        SourcePattern[] python =
        [
            P($@"\bos\.environ\[\s*['""]{Key}['""]\s*\]", "os.environ[…]"),
            P($@"\bos\.environ\.get\(\s*['""]{Key}['""]", "os.environ.get"),
            P($@"\bos\.getenv\(\s*['""]{Key}['""]", "os.getenv"),
        ];
        SourcePattern[] ruby =
        [
            P($@"\bENV\[\s*['""]{Key}['""]\s*\]", "ENV[…]"),
            P($@"\bENV\.fetch\(\s*['""]{Key}['""]", "ENV.fetch"),
        ];
        SourcePattern[] go =
        [
            P($@"\bos\.Getenv\(\s*""{Key}""", "os.Getenv"),
            P($@"\bos\.LookupEnv\(\s*""{Key}""", "os.LookupEnv"),
        ];
        SourcePattern[] csharp =
        [
            P($@"\bEnvironment\.GetEnvironmentVariable\(\s*""{Key}""", "Environment.GetEnvironmentVariable"),
            P($@"\b[Cc]onfiguration\[\s*""{Key}""\s*\]", "IConfiguration[…]"),
        ];
        SourcePattern[] prisma = [P($@"\benv\(\s*""{Key}""\s*\)", "the Prisma schema")];
        return new Dictionary<string, SourcePattern[]>(StringComparer.Ordinal)
        {
            [".js"] = js, [".mjs"] = js, [".cjs"] = js, [".jsx"] = js, [".ts"] = js, [".tsx"] = js, [".mts"] = js, [".cts"] = js,
            [".vue"] = js, [".svelte"] = js, [".astro"] = js,
            [".py"] = python,
            [".rb"] = ruby, [".rake"] = ruby, [".erb"] = ruby, [".ru"] = ruby,
            [".go"] = go,
            [".cs"] = csharp,
            [".prisma"] = prisma,
        };
    }

    // What follows a read that gives a default: `|| x`, `?? x`, `or x`, a second argument (`, x`), or Ruby's `|| x` after ENV[…].
    [GeneratedRegex(@"^\s*[\])]?\s*(\|\||\?\?|\bor\b|,)", RegexOptions.CultureInvariant)]
    private static partial Regex DefaultAfter();

    [GeneratedRegex(@"^(?<indent>\s*)environment:\s*(#.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ComposeEnvironment();

    [GeneratedRegex(@"^\s*(-\s*['""]?(?<key>[A-Za-z_][A-Za-z0-9_]*)(=(?<value>[^'""]*))?['""]?|(?<key>[A-Za-z_][A-Za-z0-9_]*)\s*:(?<value>.*))\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ComposeItem();

    [GeneratedRegex(@"^\$\{?(?<key>[A-Za-z_][A-Za-z0-9_]*)(:?-[^}]*)?\}?$", RegexOptions.CultureInvariant)]
    private static partial Regex ComposeReference();
}
