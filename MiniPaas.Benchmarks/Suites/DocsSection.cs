namespace MiniPaas.Benchmarks.Suites;

/// <summary>Rewrites the generated part of docs/benchmarks.md: everything between <see cref="Start"/> and <see cref="End"/>.</summary>
public static class DocsSection
{
    public const string Start = "<!-- benchmarks:generated:start (MiniPaas.Benchmarks --docs rewrites this section) -->";
    public const string End = "<!-- benchmarks:generated:end -->";

    public static async Task RewriteAsync(string path, string markdown, CancellationToken ct)
    {
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path, ct) : string.Empty;
        await File.WriteAllTextAsync(path, Replace(text, markdown), ct);
    }

    /// <summary>The document with the section between the markers replaced (appended with markers when there are none).</summary>
    public static string Replace(string document, string markdown)
    {
        ArgumentNullException.ThrowIfNull(document);
        var section = $"{Start}\n\n{markdown.Trim()}\n\n{End}";
        var start = document.IndexOf(Start, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        return start >= 0 && end > start
            ? document[..start] + section + document[(end + End.Length)..]
            : document.TrimEnd() + "\n\n" + section + "\n";
    }
}
