using MiniPaas.Web.Components.Logs;

namespace MiniPaas.Tests.Logs;

public class AnsiTextTests
{
    [Fact]
    public void Parse_PlainText_OneUnstyledSegment() =>
        Assert.Equal([new AnsiSegment("<b>hi</b>", null)], AnsiText.Parse("<b>hi</b>"));

    [Fact]
    public void Parse_SgrColours_StyledSegmentsAndReset()
    {
        var segments = AnsiText.Parse("\u001b[1;31mred\u001b[0m plain \u001b[38;5;46mgreen\u001b[48;2;1;2;3mbg");
        Assert.Equal(
            [
                new AnsiSegment("red", "color:#cd3131;font-weight:bold;"),
                new AnsiSegment(" plain ", null),
                new AnsiSegment("green", "color:#00ff00;"),
                new AnsiSegment("bg", "color:#00ff00;background-color:#010203;"),
            ],
            segments);
    }

    [Fact]
    public void Parse_HyperlinkAndCursorCodes_ShownAsTextNotActedOn()
    {
        var segments = AnsiText.Parse("\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\ \u001b[2K");
        var text = string.Concat(segments.Select(s => s.Text));
        Assert.All(segments, s => Assert.Null(s.Style));
        Assert.Equal("\u241b]8;;https://evil.example\u241b\\click\u241b]8;;\u241b\\ \u241b[2K", text);
    }

    [Fact]
    public void Parse_OutOfRangeColour_Ignored() =>
        Assert.Equal([new AnsiSegment("x", null)], AnsiText.Parse("\u001b[38;2;999;0;0mx"));
}
