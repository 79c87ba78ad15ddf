using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace MiniPaas.Web.Components.Analytics;

/// <summary>
/// A time chart drawn as one block of SVG markup (<see cref="TimeChartSvg"/>): the render tree holds a single markup frame
/// however many points the chart has, and the markup is rebuilt only when the lines or the look change.
/// </summary>
public sealed class TimeChart : ComponentBase
{
    private IReadOnlyList<TimeLine>? _builtLines;
    private TimeChartLook? _builtLook;
    private MarkupString _markup;

    /// <summary>The lines; a new list redraws the chart. Default empty.</summary>
    [Parameter]
    public IReadOnlyList<TimeLine> Lines { get; set; } = [];

    /// <summary>Height, label format, axis title, legend and markers. Default: 220 px, HH:mm, legend, no markers.</summary>
    [Parameter]
    public TimeChartLook Look { get; set; } = new();

    /// <summary>Attributes for the wrapping div (e.g. data-testid). Default none.</summary>
    [Parameter(CaptureUnmatchedValues = true)]
    public IReadOnlyDictionary<string, object>? AdditionalAttributes { get; set; }

    protected override void OnParametersSet()
    {
        if (!ReferenceEquals(_builtLines, Lines) || _builtLook != Look)
        {
            _markup = new MarkupString(TimeChartSvg.Build(Lines, Look));
            _builtLines = Lines;
            _builtLook = Look;
        }
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "div");
        builder.AddMultipleAttributes(1, AdditionalAttributes);
        builder.AddMarkupContent(2, _markup.Value);
        builder.CloseElement();
    }
}
