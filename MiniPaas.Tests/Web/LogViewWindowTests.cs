using MiniPaas.Web.Components.Logs;

namespace MiniPaas.Tests.Web;

public sealed class LogViewWindowTests
{
    private static List<LogViewLine> Lines(int count) =>
        [.. Enumerable.Range(1, count).Select(i => new LogViewLine(i, 7, DateTimeOffset.UnixEpoch.AddSeconds(i), $"line {i}", i % 10 == 0 ? "error" : null, false))];

    [Fact]
    public void Trim_UpToOneAndAHalfWindows_KeepsEverything()
    {
        var lines = Lines(3_000);
        var filtered = lines.Where(l => l.Level is not null).ToList();

        Assert.False(LogViewWindow.Trim(lines, filtered, keep: 2_000));

        Assert.Equal(3_000, lines.Count);
        Assert.Equal(300, filtered.Count);
    }

    [Fact]
    public void Trim_PastOneAndAHalfWindows_KeepsTheNewestWindowInBothLists()
    {
        var lines = Lines(3_001);
        var filtered = lines.Where(l => l.Level is not null).ToList();

        Assert.True(LogViewWindow.Trim(lines, filtered, keep: 2_000));

        Assert.Equal(2_000, lines.Count);
        Assert.Equal(1_002, lines[0].Seq);
        Assert.Equal(3_001, lines[^1].Seq);
        Assert.All(filtered, l => Assert.True(l.Seq >= 1_002));
        Assert.Equal(200, filtered.Count);
    }
}
