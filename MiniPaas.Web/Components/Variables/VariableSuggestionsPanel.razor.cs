using Microsoft.AspNetCore.Components;
using MiniPaas.Core.Variables;

namespace MiniPaas.Web.Components.Variables;

/// <summary>
/// The variables a project's code seems to need, from its latest scan (made when the project was created and on each
/// deploy; made here when there is none yet): reason and file:line per suggestion, accept one, accept all, generate a
/// strong value for secret-like keys, dismiss for good.
/// </summary>
public sealed partial class VariableSuggestionsPanel(ProjectSuggestions suggestions, ProjectVariables store) : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private SuggestionScan? _scan;
    private bool _scanning;
    private bool _busy;
    private string? _error;
    private string? _message;

    /// <summary>The project. Required; no default.</summary>
    [Parameter, EditorRequired]
    public long ProjectId { get; set; }

    /// <summary>Who is acting, for the audit trail. Default: "owner".</summary>
    [Parameter]
    public string Actor { get; set; } = "owner";

    /// <summary>Called after suggestions were saved as variables. Default: none.</summary>
    [Parameter]
    public EventCallback<IReadOnlyCollection<string>> OnSaved { get; set; }

    /// <summary>Called with a key the user accepted but that has no value to propose: the editor asks for it. Default: none.</summary>
    [Parameter]
    public EventCallback<string> OnValueNeeded { get; set; }

    protected override Task OnParametersSetAsync() => RefreshAsync();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Never scanned (created before scans were kept, or the creation scan failed or is still running): scan now.
        // After the first interactive render, so neither prerendering nor the page's first paint waits for a clone.
        if (firstRender && _scan is null && _error is null)
        {
            await ScanAsync();
            StateHasChanged();
        }
    }

    /// <summary>Re-reads the latest scan, filtered against the variables as they are now (call after the editor changed some).</summary>
    public async Task RefreshAsync()
    {
        try
        {
            _scan = await suggestions.LatestAsync(ProjectId, _disposed.Token);
            StateHasChanged();
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failure is shown in the panel; the editor keeps working.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _error = $"The suggestions could not be read: {ex.Message}";
        }
    }

    private async Task ScanAsync()
    {
        _scanning = true;
        _error = null;
        StateHasChanged();
        try
        {
            _scan = await suggestions.ScanAsync(ProjectId, ProjectSuggestions.ManualTrigger, _disposed.Token);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed clone or scan is shown next to the button; the editor keeps working.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _error = $"The repository could not be scanned: {ex.Message}";
        }
        finally
        {
            _scanning = false;
        }
    }

    // A proposed value is taken as is; a secret without one gets a generated value; anything else needs the user's value.
    private async Task AcceptAsync(VariableSuggestion suggestion)
    {
        var value = suggestion.SuggestedValue ?? (suggestion.IsSecretLike ? VariableSuggestion.GenerateSecretValue() : null);
        if (value is null)
        {
            await OnValueNeeded.InvokeAsync(suggestion.Key);
            return;
        }

        await SaveAsync([new(suggestion.Key, value)]);
    }

    private Task GenerateAsync(VariableSuggestion suggestion) =>
        SaveAsync([new(suggestion.Key, VariableSuggestion.GenerateSecretValue())]);

    private async Task AcceptAllAsync()
    {
        var open = _scan?.Suggestions ?? [];
        var values = open.Where(s => s.SuggestedValue is not null || s.IsSecretLike)
            .Select(s => new VariableInput(s.Key, s.SuggestedValue ?? VariableSuggestion.GenerateSecretValue()))
            .ToList();
        var needValue = open.Count - values.Count;
        await SaveAsync(values);
        if (needValue > 0)
        {
            _message = $"{needValue} suggestion(s) have no value to propose: accept them one by one and type their values.";
        }
    }

    private async Task SaveAsync(List<VariableInput> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        VariableChangeResult result;
        _busy = true;
        try
        {
            result = await store.SetManyAsync(ProjectId, values, Actor, _disposed.Token);
        }
        finally
        {
            // Before the list refreshes, so the buttons that remain are usable as soon as they are shown.
            _busy = false;
        }

        if (!result.Succeeded)
        {
            _error = result.Error;
            return;
        }

        await RefreshAsync();
        await OnSaved.InvokeAsync(values.Select(v => v.Key).ToList());
    }

    private async Task DismissAsync(VariableSuggestion suggestion)
    {
        await suggestions.DismissAsync(ProjectId, suggestion.Key, Actor, _disposed.Token);
        await RefreshAsync();
    }

    private static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;

    private static string TriggerText(string trigger) => trigger switch
    {
        ProjectSuggestions.CreatedTrigger => "when the project was created",
        ProjectSuggestions.DeployTrigger => "on the last deploy",
        _ => "on request",
    };

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
