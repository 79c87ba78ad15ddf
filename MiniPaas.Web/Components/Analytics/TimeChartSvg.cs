using System.Globalization;
using System.Net;
using System.Text;

namespace MiniPaas.Web.Components.Analytics;

/// <summary>One value of a time series.</summary>
public readonly record struct TimePoint(DateTime Time, double Value);

/// <summary>A named line of a time chart, oldest point first.</summary>
public sealed record TimeLine(string Name, IReadOnlyList<TimePoint> Points);

/// <summary>How a <see cref="TimeChart"/> draws its lines.</summary>
public sealed record TimeChartLook(int Height = 220, string TimeLabelFormat = "HH:mm", string? YAxisTitle = null, bool ShowLegend = true, bool ShowMarkers = false);

/// <summary>
/// Writes a time chart as SVG markup: one path per line, axes, and one hover column per time with a native tooltip.
/// A chart is one string rather than a component tree with an element (and handlers) per point, which is what made a
/// dashboard tab heavy: a 96-bucket, 4-line chart costs a few KB here instead of hundreds of render-tree frames.
/// </summary>
public static class TimeChartSvg
{
    private const double Width = 600;
    private const double Left = 44;
    private const double Right = 8;
    private const double Top = 8;
    private const double Bottom = 22;
    private const int XLabels = 6;
    private const int YLabels = 4;

    /// <summary>MudBlazor's default chart palette, so these charts match the donut and bar charts beside them.</summary>
    public static readonly IReadOnlyList<string> Palette = ["#776be7", "#3dcb6c", "#ffb545", "#ff705f", "#1e88e5", "#8e24aa"];

    public static string Build(IReadOnlyList<TimeLine> lines, TimeChartLook look)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(look);
        var points = lines.SelectMany(l => l.Points).ToList();
        var svg = new StringBuilder(2048);
        var height = (double)look.Height;
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"time-chart\" viewBox=\"0 0 {Width} {height}\" width=\"100%\" height=\"{height}\" role=\"img\" style=\"font-size:11px\">");
        if (points.Count > 0)
        {
            var scale = Scale.For(points, height);
            AppendAxes(svg, scale, look);
            for (var i = 0; i < lines.Count; i++)
            {
                AppendLine(svg, scale, lines[i], Palette[i % Palette.Count], look.ShowMarkers);
            }

            AppendHoverColumns(svg, scale, lines, look.TimeLabelFormat);
        }

        svg.Append("</svg>");
        if (look.ShowLegend)
        {
            svg.Append("<div class=\"d-flex flex-wrap justify-center gap-3\" style=\"font-size:12px\">");
            for (var i = 0; i < lines.Count; i++)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<span><span style=\"display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px;background:{Palette[i % Palette.Count]}\"></span>{Encode(lines[i].Name)}</span>");
            }

            svg.Append("</div>");
        }

        return svg.ToString();
    }

    private static void AppendAxes(StringBuilder svg, Scale scale, TimeChartLook look)
    {
        svg.Append("<g fill=\"currentColor\" fill-opacity=\"0.7\" stroke=\"currentColor\" stroke-opacity=\"0.12\">");
        for (var i = 0; i <= YLabels; i++)
        {
            var value = scale.YMax * i / YLabels;
            var y = scale.Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/><text x=\"{Left - 4}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" stroke=\"none\">{value:0.##}</text>");
        }

        var labels = scale.To > scale.From ? XLabels : 1;
        for (var i = 0; i < labels; i++)
        {
            var time = labels == 1 ? scale.From : scale.From + (scale.To - scale.From) * i / (labels - 1);
            var anchor = i == 0 && labels > 1 ? "start" : i == labels - 1 && labels > 1 ? "end" : "middle";
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{scale.X(time):0.#}\" y=\"{scale.Height - 6:0.#}\" text-anchor=\"{anchor}\" stroke=\"none\">{Encode(time.ToString(look.TimeLabelFormat, CultureInfo.InvariantCulture))}</text>");
        }

        if (look.YAxisTitle is { } title)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + 4}\" y=\"{Top + 10}\" stroke=\"none\">{Encode(title)}</text>");
        }

        svg.Append("</g>");
    }

    private static void AppendLine(StringBuilder svg, Scale scale, TimeLine line, string color, bool markers)
    {
        if (line.Points.Count == 0)
        {
            return;
        }

        svg.Append(CultureInfo.InvariantCulture, $"<path class=\"mud-chart-serie\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-linejoin=\"round\" d=\"");
        for (var i = 0; i < line.Points.Count; i++)
        {
            var p = line.Points[i];
            svg.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? 'M' : 'L')}{scale.X(p.Time):0.#},{scale.Y(p.Value):0.#}");
        }

        svg.Append("\"/>");
        if (markers)
        {
            foreach (var p in line.Points)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{scale.X(p.Time):0.#}\" cy=\"{scale.Y(p.Value):0.#}\" r=\"3\" fill=\"{color}\"/>");
            }
        }
    }

    // One transparent column per time: hovering anywhere above a time shows every line's value there, without any
    // round trip to the circuit.
    private static void AppendHoverColumns(StringBuilder svg, Scale scale, IReadOnlyList<TimeLine> lines, string format)
    {
        var times = lines.SelectMany(l => l.Points.Select(p => p.Time)).Distinct().Order().ToList();
        var values = lines.Select(l => l.Points.ToDictionary(p => p.Time, p => p.Value)).ToList();
        svg.Append("<g fill=\"transparent\">");
        for (var i = 0; i < times.Count; i++)
        {
            var from = i == 0 ? Left : (scale.X(times[i - 1]) + scale.X(times[i])) / 2;
            var to = i == times.Count - 1 ? Width - Right : (scale.X(times[i]) + scale.X(times[i + 1])) / 2;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{from:0.#}\" y=\"{Top}\" width=\"{Math.Max(to - from, 1):0.#}\" height=\"{scale.Height - Top - Bottom:0.#}\"><title>{Encode(times[i].ToString(format, CultureInfo.InvariantCulture))}");
            for (var l = 0; l < lines.Count; l++)
            {
                if (values[l].TryGetValue(times[i], out var value))
                {
                    svg.Append(CultureInfo.InvariantCulture, $"&#10;{Encode(lines[l].Name)}: {value:0.##}");
                }
            }

            svg.Append("</title></rect>");
        }

        svg.Append("</g>");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private sealed record Scale(DateTime From, DateTime To, double YMax, double Height)
    {
        public static Scale For(List<TimePoint> points, double height)
        {
            var max = points.Max(p => p.Value);
            return new Scale(points.Min(p => p.Time), points.Max(p => p.Time), NiceCeiling(max), height);
        }

        public double X(DateTime time) => To > From
            ? Left + (Width - Left - Right) * ((time - From).Ticks / (double)(To - From).Ticks)
            : (Left + Width - Right) / 2;

        public double Y(double value) => Height - Bottom - (Height - Top - Bottom) * (YMax > 0 ? Math.Max(value, 0) / YMax : 0);

        // A round top (1, 2, 2.5 or 5 × 10^n) so the four grid lines get readable labels; charts start at zero.
        private static double NiceCeiling(double max)
        {
            if (max <= 0 || double.IsNaN(max) || double.IsInfinity(max))
            {
                return 1;
            }

            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
            foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
            {
                if (step * magnitude >= max)
                {
                    return step * magnitude;
                }
            }

            return 10 * magnitude;
        }
    }
}
