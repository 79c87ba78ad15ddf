using System.Text.RegularExpressions;
using MiniPaas.Web.Components.Analytics;

namespace MiniPaas.Tests.Web;

public sealed partial class TimeChartSvgTests
{
    private static readonly DateTime T0 = new(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Build_TwoLines_OnePathPerLineAndOneHoverColumnPerTime()
    {
        var lines = new[]
        {
            new TimeLine("2xx", [.. Enumerable.Range(0, 48).Select(i => new TimePoint(T0.AddMinutes(30 * i), i))]),
            new TimeLine("5xx", [new TimePoint(T0, 1), new TimePoint(T0.AddMinutes(30), 2)]),
        };

        var svg = TimeChartSvg.Build(lines, new TimeChartLook());

        Assert.Equal(2, PathPattern().Count(svg));
        Assert.Equal(48, Count(svg, "<rect "));
        Assert.Equal(0, Count(svg, "<circle "));
        // The first column's tooltip names both lines' values; a later one only the line that has a point there.
        Assert.Contains("<title>10:00&#10;2xx: 0&#10;5xx: 1</title>", svg, StringComparison.Ordinal);
        Assert.Contains("<title>11:00&#10;2xx: 2</title>", svg, StringComparison.Ordinal);
        Assert.Contains(">5xx</span>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LineStartsAtZeroAndReachesNiceTop()
    {
        var svg = TimeChartSvg.Build([new TimeLine("CPU %", [new TimePoint(T0, 0), new TimePoint(T0.AddMinutes(1), 7.3)])], new TimeChartLook(Height: 220));

        // Top grid label rounds 7.3 up to 10; the first point sits on the x axis (220 - bottom margin), the last at 73 %.
        Assert.Contains(">10</text>", svg, StringComparison.Ordinal);
        var d = PathPattern().Match(svg).Groups[1].Value;
        Assert.StartsWith("M44,198L592,", d, StringComparison.Ordinal);
        Assert.EndsWith(",59.3", d, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MarkersAndEncodedNames()
    {
        var svg = TimeChartSvg.Build([new TimeLine("<b>", [new TimePoint(T0, 3)])], new TimeChartLook(ShowMarkers: true, YAxisTitle: "a&b"));

        Assert.Equal(1, Count(svg, "<circle "));
        Assert.DoesNotContain("<b>", svg, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;", svg, StringComparison.Ordinal);
        Assert.Contains("a&amp;b", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoPoints_EmptySvgWithoutPaths()
    {
        var svg = TimeChartSvg.Build([new TimeLine("Used", [])], new TimeChartLook(ShowLegend: false));

        Assert.Equal(0, PathPattern().Count(svg));
        Assert.EndsWith("</svg>", svg, StringComparison.Ordinal);
    }

    private static int Count(string svg, string element) => svg.Split(element).Length - 1;

    [GeneratedRegex("<path class=\"mud-chart-serie\"[^>]* d=\"([^\"]*)\"")]
    private static partial Regex PathPattern();
}
