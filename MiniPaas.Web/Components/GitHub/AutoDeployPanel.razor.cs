using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MiniPaas.Core.GitHub;
using MiniPaas.Core.GitHub.Webhooks;
using MiniPaas.Core.Ingress;
using MiniPaas.Web.GitHub;

namespace MiniPaas.Web.Components.GitHub;

/// <summary>The auto-deploy state of one project, with webhook secret generation (shown once) and hook creation on GitHub.</summary>
public sealed partial class AutoDeployPanel(
    ProjectGitHubState state,
    WebhookSecrets secrets,
    WebhookInstaller installer,
    CurrentUser currentUser,
    IngressEndpoint ingress,
    IOptions<GitHubOptions> options)
{
    private AutoDeployStatus? _status;
    private SignedInUser? _user;
    private string? _secret;
    private string? _message;
    private bool _busy;

    /// <summary>The project shown. Required.</summary>
    [Parameter, EditorRequired]
    public long ProjectId { get; set; }

    private string PollSeconds => options.Value.PollInterval.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private string PayloadUrl => (installer.PayloadUrl ?? new Uri(ingress.DashboardUrl, WebhookInstaller.WebhookPath)).ToString();

    private bool CanCreateHook => installer.PayloadUrl is not null && _user is not null;

    protected override async Task OnParametersSetAsync()
    {
        _user = await currentUser.GetAsync();
        _status = await state.GetStatusAsync(ProjectId);
    }

    private async Task GenerateAsync()
    {
        _busy = true;
        _message = null;
        _secret = await secrets.GenerateAsync(ProjectId);
        _status = await state.GetStatusAsync(ProjectId);
        _busy = false;
    }

    private async Task CreateHookAsync()
    {
        if (_user is not { } user)
        {
            return;
        }

        _busy = true;
        _secret = null;
        _message = await installer.CreateAsync(ProjectId, user.UserId);
        _status = await state.GetStatusAsync(ProjectId);
        _busy = false;
    }

    private async Task RemoveAsync()
    {
        _busy = true;
        _secret = null;
        await secrets.RemoveAsync(ProjectId);
        _status = await state.GetStatusAsync(ProjectId);
        _busy = false;
    }
}
