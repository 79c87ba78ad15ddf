using System.Globalization;
using System.Text;

namespace MiniPaas.Benchmarks.Suites;

/// <summary>
/// What the suites found: one row per target of issue 8 (met or missed, and what bounds it), plus a Markdown section per
/// suite with its raw numbers and the load average next to each.
/// </summary>
public sealed class Findings
{
    private readonly List<string> _targets = [];
    private readonly List<string> _sections = [];

    /// <param name="met">null when the suite could not measure it (the row says why in <paramref name="note"/>).</param>
    public void Target(string goal, string target, string measured, bool? met, string note) =>
        _targets.Add($"| {goal} | {target} | {measured} | {(met switch { true => "met", false => "**missed**", null => "not measured" })} | {note} |");

    public void Section(string title, string markdown) => _sections.Add($"#### {title}\n\n{markdown.TrimEnd()}\n");

    public bool IsEmpty => _targets.Count == 0 && _sections.Count == 0;

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        if (_targets.Count > 0)
        {
            text.AppendLine("Targets of issue 8, this run:");
            text.AppendLine();
            text.AppendLine("| Goal | Target | Measured | Result | What bounds it / note |");
            text.AppendLine("|---|---|---|---|---|");
            _targets.ForEach(row => text.AppendLine(row));
            text.AppendLine();
        }

        foreach (var section in _sections)
        {
            text.AppendLine(section);
        }

        return text.ToString();
    }

    public static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
