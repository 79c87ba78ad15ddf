namespace MiniPaas.Web.Components.Logs;

/// <summary>The bounded window of lines a log viewer keeps in memory.</summary>
public static class LogViewWindow
{
    /// <summary>
    /// Drops the oldest lines of <paramref name="lines"/> (and the same ones from <paramref name="filtered"/>) down to
    /// <paramref name="keep"/> once the list holds more than one and a half times that: removing from the front of a list is
    /// O(n), so it happens in chunks, not once per arriving line. Returns whether anything was dropped.
    /// </summary>
    public static bool Trim(List<LogViewLine> lines, List<LogViewLine> filtered, int keep)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(filtered);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        if (lines.Count <= keep + keep / 2)
        {
            return false;
        }

        var excess = lines.Count - keep;
        var oldestKept = lines[excess].Seq;
        lines.RemoveRange(0, excess);
        filtered.RemoveAll(l => l.Seq < oldestKept);
        return true;
    }
}
