using Microsoft.AspNetCore.Components;
using MiniPaas.Core.Variables;

namespace MiniPaas.Web.Components.Variables;

/// <summary>The audit trail of a project's variables: who changed which key and when (values are never recorded).</summary>
public sealed partial class VariableHistory(ProjectVariables store)
{
    private const int Shown = 50;
    private IReadOnlyList<VariableAuditEntry>? _entries;

    /// <summary>The project. Required; no default.</summary>
    [Parameter, EditorRequired]
    public long ProjectId { get; set; }

    protected override Task OnParametersSetAsync() => RefreshAsync();

    /// <summary>Re-reads the trail (call after a change).</summary>
    public async Task RefreshAsync()
    {
        _entries = await store.ListAuditAsync(ProjectId, Shown);
        StateHasChanged();
    }
}
