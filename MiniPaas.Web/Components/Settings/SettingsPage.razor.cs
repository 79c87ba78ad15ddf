using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Core.Owner;
using MiniPaas.Web.GitHub;
using MudBlazor;

namespace MiniPaas.Web.Components.Settings;

/// <summary>Settings of this MiniPaas: API tokens (create with a scope and an optional expiry — shown once —, list with last use, revoke) and the audit log.</summary>
public sealed partial class SettingsPage(
    ApiTokenService tokens,
    TimeProvider time,
    IOptions<ApiOptions> apiOptions,
    AuditLog audit,
    CurrentUser currentUser,
    IDialogService dialogs,
    ISnackbar snackbar,
    IJSRuntime js) : IDisposable
{
    /// <summary>Expiry choices in days (0: never).</summary>
    private static readonly (int Days, string Label)[] ExpiryChoices = [(0, "never"), (7, "in 7 days"), (30, "in 30 days"), (90, "in 90 days"), (365, "in a year")];

    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<ApiTokenView>? _tokens;
    private CreatedApiToken? _created;
    private string? _name;
    private string? _nameError;
    private bool _busy;
    private int _configuredCount;
    private ApiScope _scope = ApiScope.Read;
    private int _expiryDays = 90;
    private DateTimeOffset _now;
    private int _auditVersion;

    protected override async Task OnInitializedAsync()
    {
        _configuredCount = apiOptions.Value.Tokens.Count;
        await ReloadAsync();
    }

    private async Task CreateAsync()
    {
        _nameError = ApiTokenService.CheckName(_name);
        if (_nameError is not null)
        {
            return;
        }

        _busy = true;
        try
        {
            DateTimeOffset? expiresAt = _expiryDays > 0 ? time.GetUtcNow().AddDays(_expiryDays) : null;
            _created = await tokens.CreateAsync(_name!, _scope, expiresAt, _disposed.Token);
            await RecordAsync(AuditActions.ApiTokenCreated, _created.View.Name);
            _name = null;
            await ReloadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task RevokeAsync(ApiTokenView token)
    {
        var confirmed = await dialogs.ShowMessageBoxAsync(
            "Revoke token",
            $"Revoke '{token.Name}'? Scripts using it get 401 from their next request.",
            yesText: "Revoke", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        _busy = true;
        try
        {
            await tokens.RevokeAsync(token.Id, _disposed.Token);
            await RecordAsync(AuditActions.ApiTokenRevoked, token.Name);
            if (_created?.View.Id == token.Id)
            {
                _created = null;
            }

            await ReloadAsync();
            snackbar.Add($"Token '{token.Name}' revoked.", Severity.Info);
        }
        finally
        {
            _busy = false;
        }
    }

    // The token's name only: the token itself is never recorded.
    private async Task RecordAsync(string action, string tokenName)
    {
        await audit.RecordAsync(action, await currentUser.GetActorAsync(), tokenName, ct: _disposed.Token);
        _auditVersion++;
    }

    private async Task CopyAsync()
    {
        if (_created is null)
        {
            return;
        }

        try
        {
            await js.InvokeVoidAsync("navigator.clipboard.writeText", _disposed.Token, _created.Token);
            snackbar.Add("Token copied to the clipboard.", Severity.Info);
        }
        catch (JSException)
        {
            // The browser refused clipboard access (e.g. not a secure context): the token is still on screen to select.
            snackbar.Add("The browser did not allow copying; select the token and copy it by hand.", Severity.Warning);
        }
    }

    private async Task ReloadAsync()
    {
        _tokens = await tokens.ListAsync(_disposed.Token);
        _now = time.GetUtcNow();
    }

    private static string Format(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
