using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Owner;
using MiniPaas.Core.Projects;
using MiniPaas.Core.Variables;
using MudBlazor;

namespace MiniPaas.Web.Components.Variables;

/// <summary>
/// Edits one project's environment variables: secrets masked with reveal (plain settings shown), a secret flag per row, copy, add/edit/delete validated at the field,
/// paste a <c>.env</c> with a preview of what changes, download as <c>.env</c>, and a redeploy banner when the variables
/// changed after the running deployment started.
/// </summary>
public sealed partial class VariablesEditor(
    ProjectVariables store,
    ProjectService projects,
    DeploymentService deployments,
    AuditLog audit,
    IJSRuntime js) : IAsyncDisposable
{
    private const string Mask = "••••••••";

    private const string BuildTimeHelp =
        "Needed at build time: also passed to the image build as a build argument (a generated Dockerfile declares ARG for it; " +
        "your own Dockerfile needs `ARG NAME`). Build arguments can be read back from the image's history: mark only what the build needs.";

    private const string SecretHelp =
        "Secret: masked in build logs, runtime logs and failure reasons, and here until revealed. Plain settings (LINES=20000, " +
        "NODE_ENV=production) are shown as they are, so logs that print the same text stay readable.";

    private static readonly string ShortSecretWarning =
        $"Shorter than {SecretMasker.MinimumLength} characters: this secret cannot be masked in logs (masking every occurrence of so short a text would garble them). Use a longer value.";

    private readonly CancellationTokenSource _disposed = new();
    private readonly HashSet<string> _revealed = new(StringComparer.Ordinal);
    private IReadOnlyList<ProjectVariable>? _variables;
    private string? _loadError;
    private string? _message;
    private Severity _messageSeverity = Severity.Info;
    private bool _busy;
    private bool _redeployNeeded;
    private EditModel? _editing;
    private MudForm? _form;
    private bool _pasting;
    private string _pasteText = "";
    private DotEnvParseResult? _parsed;
    private IReadOnlyList<VariableImportChange>? _preview;
    private IJSObjectReference? _module;
    private string _fileName = "variables.env";
    private string _actor = "owner";
    private bool _rebuildNeeded;
    private string? _runningCommit;
    private VariableSuggestionsPanel? _suggestionsPanel;
    private VariableHistory? _history;

    /// <summary>The project whose variables are edited. Required; no default.</summary>
    [Parameter, EditorRequired]
    public long ProjectId { get; set; }

    /// <summary>The signed-in user, recorded in the audit trail; without sign-in the dashboard has a single owner. Default: none.</summary>
    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        _actor = await ActorAsync();
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            // Everything is read before anything is shown, so the table never appears with a stale banner state.
            var variables = await store.ListAsync(ProjectId, _disposed.Token);
            var project = await projects.GetAsync(ProjectId, _disposed.Token);
            var running = project?.Live;
            var changed = await store.LastChangedAtAsync(ProjectId, _disposed.Token);
            var since = running?.StartedAt ?? running?.CreatedAt;
            _redeployNeeded = running is not null && changed is { } at && at > since;
            _rebuildNeeded = _redeployNeeded && await BuildInputsChangedSinceAsync(variables, since!.Value);
            _runningCommit = running?.CommitSha;
            // Browsers refuse to save dot-files under their own name (Chromium strips the dot): name it after the project.
            _fileName = project is null ? "variables.env" : $"{project.Name}.env";
            _variables = variables;
            _loadError = null;
            if (_suggestionsPanel is not null)
            {
                // A key just set or deleted leaves or rejoins the suggestions.
                await _suggestionsPanel.RefreshAsync();
            }

            await (_history?.RefreshAsync() ?? Task.CompletedTask);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A store failure is shown in the editor rather than ending the circuit.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _loadError = ex.Message;
        }
    }

    // A redeploy reuses the running image: enough for the container's Env, not for what the build saw.
    private async Task<bool> BuildInputsChangedSinceAsync(IReadOnlyList<ProjectVariable> variables, DateTimeOffset since)
    {
        var buildTime = variables.Where(v => v.IsBuildTime).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        var audit = await store.ListAuditAsync(ProjectId, ct: _disposed.Token);
        return audit.Any(a => a.At > since
            && a.Action is not (ProjectVariables.SecretOnAction or ProjectVariables.SecretOffAction)
            && (a.Action is ProjectVariables.BuildTimeOnAction or ProjectVariables.BuildTimeOffAction || buildTime.Contains(a.Key)));
    }

    private async Task<string> ActorAsync()
    {
        if (AuthenticationState is not null)
        {
            var state = await AuthenticationState;
            if (state.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name })
            {
                return name;
            }
        }

        return "owner";
    }

    private static string? ValidateKey(string key) => VariableRules.CheckKey(key).Error;

    private static string? ValidateValue(string value) => VariableRules.CheckValue(value ?? "").Error;

    private void StartAdd()
    {
        _pasting = false;
        _editing = new EditModel { IsNew = true };
    }

    private void StartEdit(ProjectVariable variable)
    {
        _pasting = false;
        _editing = new EditModel { Key = variable.Key, Value = variable.Value ?? "", IsSecret = variable.IsSecret };
    }

    private async Task SaveAsync()
    {
        if (_editing is null || _form is null)
        {
            return;
        }

        await _form.ValidateAsync();
        if (!_form.IsValid)
        {
            return;
        }

        _busy = true;
        try
        {
            // The flag as the form showed it: for a new variable, the rule's default unless the user changed it.
            var result = await store.SetAsync(ProjectId, new VariableInput(_editing.Key, _editing.Value ?? "", _editing.EffectiveIsSecret), _actor, _disposed.Token);
            if (!result.Succeeded)
            {
                Show(result.Error!, Severity.Error);
                return;
            }

            if (_editing.IsNew && _editing.IsBuildTime)
            {
                await store.SetBuildTimeAsync(ProjectId, _editing.Key, true, _actor, _disposed.Token);
            }

            Show(result.Warnings.Count > 0 ? $"{_editing.Key} saved. {string.Join(" ", result.Warnings)}" : $"{_editing.Key} saved.",
                result.Warnings.Count > 0 ? Severity.Warning : Severity.Success);
            _editing = null;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DeleteAsync(string key)
    {
        _busy = true;
        try
        {
            await store.DeleteAsync(ProjectId, key, _actor, _disposed.Token);
            _revealed.Remove(key);
            Show($"{key} deleted.", Severity.Success);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task ToggleRevealAsync(string key)
    {
        if (_revealed.Remove(key))
        {
            return;
        }

        _revealed.Add(key);
        // The key only, never the value: the audit log is shown on Settings as it is.
        await audit.RecordAsync(AuditActions.VariableRevealed, _actor, $"project {ProjectId}: {key}", ct: _disposed.Token);
    }

    private void TogglePaste()
    {
        _editing = null;
        _pasting = !_pasting;
        _parsed = null;
        _preview = null;
    }

    private void Preview()
    {
        _parsed = DotEnvParser.Parse(_pasteText ?? "");
        _preview = _parsed.Succeeded ? DotEnvImport.Preview(_variables ?? [], _parsed) : null;
    }

    private async Task ApplyPasteAsync()
    {
        if (_parsed is not { Succeeded: true } || _preview is null)
        {
            return;
        }

        var saving = DotEnvImport.ToSave(_preview, _parsed);
        _busy = true;
        try
        {
            var result = await store.SetManyAsync(ProjectId, saving, _actor, _disposed.Token);
            if (!result.Succeeded)
            {
                Show(result.Error!, Severity.Error);
                return;
            }

            var refused = _preview.Count(p => p.Kind == VariableImportKind.Refused);
            Show($"{saving.Count} variable(s) saved{(refused > 0 ? $", {refused} refused" : "")}.", refused > 0 ? Severity.Warning : Severity.Success);
            _pasting = false;
            _pasteText = "";
            _parsed = null;
            _preview = null;
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task DownloadAsync()
    {
        if (_variables is null)
        {
            return;
        }

        // Rows that cannot be decrypted are left out rather than exported as a misleading placeholder.
        var text = DotEnvWriter.Write(_variables.Where(v => v.CanDecrypt).Select(v => new KeyValuePair<string, string>(v.Key, v.Value!)));
        await audit.RecordAsync(AuditActions.VariableRevealed, _actor, $"project {ProjectId}: all variables (.env download)", ct: _disposed.Token);
        var module = await ModuleAsync();
        await module.InvokeVoidAsync("downloadText", _disposed.Token, _fileName, text);
    }

    private async Task CopyAsync(ProjectVariable variable)
    {
        await audit.RecordAsync(AuditActions.VariableRevealed, _actor, $"project {ProjectId}: {variable.Key} (copied)", ct: _disposed.Token);
        var module = await ModuleAsync();
        await module.InvokeVoidAsync("copyText", _disposed.Token, variable.Value ?? "");
        Show($"{variable.Key} copied to the clipboard.", Severity.Info);
    }

    private async Task RebuildAsync()
    {
        _busy = true;
        try
        {
            // The running commit again, built afresh, so only the variables differ.
            var id = await deployments.DeployAsync(ProjectId, "rebuild", _actor, _runningCommit, _disposed.Token);
            Show($"Rebuild queued (deployment {id}).", Severity.Success);
            _rebuildNeeded = _redeployNeeded = false;
        }
        catch (DeploymentException ex)
        {
            Show(ex.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RedeployAsync()
    {
        _busy = true;
        try
        {
            var id = await deployments.RedeployAsync(ProjectId, _actor, _disposed.Token);
            Show($"Redeploy queued (deployment {id}).", Severity.Success);
            _redeployNeeded = false;
        }
        catch (DeploymentException ex)
        {
            Show(ex.Message, Severity.Error);
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SetBuildTimeAsync(string key, bool isBuildTime)
    {
        _busy = true;
        try
        {
            if (!await store.SetBuildTimeAsync(ProjectId, key, isBuildTime, _actor, _disposed.Token))
            {
                Show($"{key} no longer exists.", Severity.Error);
            }
            else
            {
                var secret = isBuildTime && SecretRule.KeyLooksSecret(key);
                Show(!isBuildTime ? $"{key} now reaches the container only."
                    : secret ? $"{key} is now passed to the image build as well (ARG {key}). It looks like a secret: build arguments can be read back from the image's history."
                    : $"{key} is now passed to the image build as well (ARG {key}).",
                    secret ? Severity.Warning : Severity.Success);
            }

            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SetSecretAsync(string key, bool isSecret)
    {
        _busy = true;
        try
        {
            if (!await store.SetSecretAsync(ProjectId, key, isSecret, _actor, _disposed.Token))
            {
                Show($"{key} no longer exists.", Severity.Error);
            }
            else
            {
                _revealed.Remove(key);
                Show(isSecret ? $"{key} is now a secret: masked in logs and here." : $"{key} is now a plain setting: shown in logs and here as it is.", Severity.Success);
            }

            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SuggestionsSavedAsync(IReadOnlyCollection<string> keys)
    {
        Show($"{string.Join(", ", keys)} saved.", Severity.Success);
        await LoadAsync();
    }

    // An accepted suggestion with nothing to propose: the add form opens with its key, for the user's value.
    private void AskValue(string key)
    {
        _pasting = false;
        _editing = new EditModel { Key = key, IsNew = true };
    }

    private async Task<IJSObjectReference> ModuleAsync() =>
        _module ??= await js.InvokeAsync<IJSObjectReference>("import", _disposed.Token, "./" + Assets["Components/Variables/VariablesEditor.razor.js"]);

    private void Show(string message, Severity severity)
    {
        _message = message;
        _messageSeverity = severity;
    }

    private static Color KindColor(VariableImportKind kind) => kind switch
    {
        VariableImportKind.Added => Color.Success,
        VariableImportKind.Changed => Color.Info,
        VariableImportKind.Refused => Color.Error,
        _ => Color.Default,
    };

    private static string KindText(VariableImportKind kind) => kind switch
    {
        VariableImportKind.Added => "add",
        VariableImportKind.Changed => "change",
        VariableImportKind.Refused => "refused",
        _ => "unchanged",
    };

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _disposed.Dispose();
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; the module went with it.
            }
        }
    }

    private sealed class EditModel
    {
        public string Key { get; set; } = "";

        public string? Value { get; set; } = "";

        public bool IsNew { get; init; }

        public bool IsBuildTime { get; set; }

        /// <summary>Null until the user decides: a new variable then follows <see cref="SecretRule"/> as key and value are typed.</summary>
        public bool? IsSecret { get; set; }

        public bool EffectiveIsSecret => IsSecret ?? SecretRule.LooksSecret(Key ?? "", Value);
    }
}
