using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MiniPaas.Web.Auth;

namespace MiniPaas.Web.Components.Auth;

/// <summary>
/// Sits above the router and the layout and ends the circuit when its session ended. The exception has to be dispatched
/// from here: the layout's error boundary would catch one dispatched from a page (or from the router's not-authorized
/// content, which renders inside the layout) and keep the circuit alive.
/// </summary>
public sealed class SessionEndScope : ComponentBase
{
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Makes Blazor terminate and dispose this circuit on the server (an unhandled circuit exception does that).</summary>
    public Task EndCircuitAsync() => DispatchExceptionAsync(new SessionEndedException());

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<CascadingValue<SessionEndScope>>(0);
        builder.AddComponentParameter(1, nameof(CascadingValue<SessionEndScope>.Value), this);
        builder.AddComponentParameter(2, nameof(CascadingValue<SessionEndScope>.IsFixed), true);
        builder.AddComponentParameter(3, nameof(CascadingValue<SessionEndScope>.ChildContent), ChildContent);
        builder.CloseComponent();
    }
}
