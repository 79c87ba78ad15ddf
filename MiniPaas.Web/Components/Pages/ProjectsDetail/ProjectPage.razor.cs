using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Events;
using MiniPaas.Core.Git;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Core.Variables;
using MiniPaas.Web.Components.Deployments;
using MiniPaas.Web.Components.Rendering;
using MudBlazor;

namespace MiniPaas.Web.Components.Pages.ProjectsDetail;

/// <summary>
/// One project: status, live URL, actions, and tabs for deployments, build log, Dockerfile and settings.
/// Status changes arrive through <see cref="DeploymentStatusFeed"/>; each burst reloads the project at most ~10 times a second.
/// </summary>
public sealed partial class ProjectPage(
    ProjectService projects,
    DeploymentService deployments,
    ProjectSuggestions suggestions,
    DeploymentStatusFeed statusFeed,
    IngressEndpoint ingress,
    IDialogService dialogs,
    ISnackbar snackbar,
    NavigationManager navigation,
    MiniPaas.Web.GitHub.CurrentUser currentUser,
    IOptions<RuntimeOptions> runtimeOptions,
    MiniPaas.Core.Owner.AuditLog audit,
    TimeProvider time) : IAsyncDisposable
{
    private const int BuildLogTab = 1;
    private static readonly TimeSpan RenderInterval = TimeSpan.FromMilliseconds(100);
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _reloading = new(1, 1);
    private RenderThrottle? _throttle;
    private FeedSubscription<DeploymentStatusChanged>? _subscription;
    private Task _watching = Task.CompletedTask;
    private CancellationTokenSource? _watchCts;
    private long? _shownId;
    private ProjectView? _project;
    private IReadOnlyList<DeploymentView> _deployments = [];
    private string? _dockerfile;
    private long? _selectedId;
    private bool _notFound;
    private string? _loadError;
    private bool _busy;
    private int _tab;
    private ProjectFormModel? _settings;
    private IReadOnlyDictionary<string, string> _settingsErrors = NoErrors;

    /// <summary>The project's id, from the route.</summary>
    [Parameter]
    public long Id { get; set; }

    /// <summary>The project's state in one word: Running when something serves, else the latest deployment's status.</summary>
    private string ProjectStatus => _project switch
    {
        { Live: not null } => nameof(DeploymentStatus.Running),
        { Latest: { } latest } => latest.Status.ToString(),
        _ => "NotDeployed",
    };

    private RuntimeOptions RuntimeSettings => runtimeOptions.Value;

    private string SubdomainUrl => _project is null ? "" : ingress.BaseUrlFor(_project.Subdomain).ToString();

    private bool HasHealthyDeployment => _deployments.Any(d => d.HealthyAt is not null && d.ImageTag is not null);

    private bool CanStart => _deployments.Any(d => d.Status is DeploymentStatus.Stopped or DeploymentStatus.Crashed) || HasHealthyDeployment;

    /// <summary>The deployment whose log and Dockerfile are shown: the one picked in the table, else the latest.</summary>
    private long? SelectedDeploymentId => _selectedId ?? _project?.Latest?.Id;

    private DeploymentView? SelectedDeployment => _deployments.FirstOrDefault(d => d.Id == SelectedDeploymentId);

    protected override async Task OnParametersSetAsync()
    {
        if (_shownId != Id)
        {
            // Another project in the same page instance (navigation between project pages): start over.
            await StopWatchingAsync();
            (_shownId, _project, _deployments, _dockerfile, _selectedId, _notFound, _settings, _settingsErrors, _tab) =
                (Id, null, [], null, null, false, null, NoErrors, 0);

            // Subscribe before the first read so that no status change falls between the snapshot and the live feed.
            if (RendererInfo.IsInteractive)
            {
                _throttle ??= new RenderThrottle(RefreshAsync, RenderInterval, time);
                _subscription = statusFeed.Subscribe(Id);
                _watchCts = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
                _watching = WatchStatusAsync(_subscription, _watchCts.Token);
            }
        }

        await ReloadAsync(_disposed.Token);
        if (_project is not null && _settings is null)
        {
            _settings = ProjectFormModel.From(_project);
        }
    }

    private async Task WatchStatusAsync(FeedSubscription<DeploymentStatusChanged> subscription, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await foreach (var _ in subscription.ReadBatchesAsync(ct))
            {
                _throttle?.Request();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Page closed.
        }
#pragma warning disable CA1031 // A broken feed is reported on the page; the circuit stays up.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            await InvokeAsync(() => snackbar.Add($"Lost the live status feed: {exception.Message}", Severity.Error));
        }
    }

    private async Task RefreshAsync()
    {
        await ReloadAsync(_disposed.Token);
        await InvokeAsync(StateHasChanged);
    }

    private async Task ReloadAsync(CancellationToken ct)
    {
        // Reloads are serialised so that an older snapshot never overwrites a newer one.
        try
        {
            await _reloading.WaitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var project = await projects.GetAsync(Id, ct);
            if (project is null)
            {
                _notFound = true;
                _project = null;
                return;
            }

            var list = await projects.ListDeploymentsAsync(Id, ct: ct);
            var selected = _selectedId ?? project.Latest?.Id;
            var dockerfile = selected is { } id ? await projects.GetGeneratedDockerfileAsync(id, ct) : null;
            (_project, _deployments, _dockerfile, _loadError) = (project, list, dockerfile, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Page closed.
        }
#pragma warning disable CA1031 // The database being unreachable is shown on the page instead of ending the circuit.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _loadError = exception.Message;
        }
        finally
        {
            _reloading.Release();
        }
    }

    private async Task ShowLog(long deploymentId)
    {
        _selectedId = deploymentId;
        _tab = BuildLogTab;
        await ReloadAsync(_disposed.Token);
    }

    private async Task DeployAsync()
    {
        if (!await ConfirmMissingVariablesAsync())
        {
            return;
        }

        await RunAsync(async () =>
        {
            var deploymentId = await deployments.DeployAsync(Id, "manual", await currentUser.GetActorAsync());
            Select(deploymentId);
            snackbar.Add($"Deployment #{deploymentId} queued.", Severity.Info);
        });
    }

    /// <summary>
    /// The pre-deploy check: variables the code reads without a default and that are not set are named, and the user
    /// chooses to deploy anyway or to set them first.
    /// </summary>
    private async Task<bool> ConfirmMissingVariablesAsync()
    {
        SuggestionScan scan;
        try
        {
            scan = await suggestions.ScanAsync(Id, _disposed.Token);
        }
        catch (Exception ex) when (ex is GitException or InvalidOperationException or IOException or ArgumentException)
        {
            // The deployment itself reports clone problems with a reason; the check must not stand in its way.
            return true;
        }

        if (scan.Missing.Count == 0)
        {
            return true;
        }

        var missing = string.Join(", ", scan.Missing.Select(m => $"{m.Key} ({m.Reason})"));
        var answer = await dialogs.ShowMessageBoxAsync(
            "Variables missing",
            $"The code reads {missing} without a default, and the project does not set them. Deploy anyway?",
            yesText: "Deploy anyway", cancelText: "Set variables first");
        if (answer != true)
        {
            navigation.NavigateTo($"/projects/{Id}/variables");
        }

        return answer == true;
    }

    private Task RedeployAsync() => RunAsync(async () =>
    {
        var deploymentId = await deployments.RedeployAsync(Id, await currentUser.GetActorAsync());
        Select(deploymentId);
        snackbar.Add($"Redeploy #{deploymentId} queued.", Severity.Info);
    });

    private Task RestartAsync() => RunAsync(async () =>
    {
        await deployments.RestartAsync(Id);
        snackbar.Add("Restarted.", Severity.Success);
    });

    private Task StartAsync() => RunAsync(async () =>
    {
        await deployments.StartAsync(Id);
        snackbar.Add("Started.", Severity.Success);
    });

    private async Task StopAsync()
    {
        var confirmed = await dialogs.ShowMessageBoxAsync(
            "Stop the project?",
            $"{_project?.Name} stops serving at {SubdomainUrl} until you start it again.",
            yesText: "Stop", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(async () =>
            {
                await deployments.StopAsync(Id);
                snackbar.Add("Stopped.", Severity.Success);
            });
        }
    }

    private async Task RollbackAsync(DeploymentView target)
    {
        var commit = string.IsNullOrEmpty(target.ShortSha) ? "" : $" (commit {target.ShortSha})";
        var confirmed = await dialogs.ShowMessageBoxAsync(
            $"Roll back to #{target.Id}?",
            $"MiniPaas runs the image of deployment #{target.Id}{commit} again, without rebuilding, and switches traffic once it is healthy.",
            yesText: "Roll back", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(async () =>
            {
                var deploymentId = await deployments.RollbackAsync(target.Id, await currentUser.GetActorAsync());
                Select(deploymentId);
                snackbar.Add($"Rollback #{deploymentId} queued.", Severity.Info);
            });
        }
    }

    private async Task Cancel(long deploymentId)
    {
        var cancelled = deployments.Cancel(deploymentId);
        snackbar.Add(cancelled ? $"Cancelling deployment #{deploymentId}." : $"Deployment #{deploymentId} is no longer running.", Severity.Info);
        await ReloadAsync(_disposed.Token);
    }

    private async Task DeleteAsync()
    {
        if (_project is not { } project)
        {
            return;
        }

        var parameters = new DialogParameters<DeleteProjectDialog> { { d => d.ProjectName, project.Name } };
        var dialog = await dialogs.ShowAsync<DeleteProjectDialog>($"Delete {project.Name}", parameters);
        var result = await dialog.Result;
        if (result is not { Canceled: false, Data: string typed })
        {
            return;
        }

        var deleted = false;
        await RunAsync(async () =>
        {
            await projects.DeleteAsync(Id, typed);
            deleted = true;
        }, reload: false);
        if (deleted)
        {
            await audit.RecordAsync(MiniPaas.Core.Owner.AuditActions.ProjectDeleted, await currentUser.GetActorAsync(), project.Name, ct: _disposed.Token);
            snackbar.Add($"Deleted {project.Name}.", Severity.Success);
            navigation.NavigateTo("/projects");
        }
    }

    private async Task SaveSettingsAsync()
    {
        if (_settings is null)
        {
            return;
        }

        await RunAsync(async () =>
        {
            var result = await projects.UpdateAsync(Id, _settings.ToSpec());
            _settingsErrors = result.Errors;
            if (result.Succeeded)
            {
                snackbar.Add("Settings saved. They apply from the next deploy.", Severity.Success);
            }
        });
        if (_settingsErrors.Count == 0 && _project is not null)
        {
            _settings = ProjectFormModel.From(_project);
        }
    }

    private void ResetSettings()
    {
        if (_project is not null)
        {
            _settings = ProjectFormModel.From(_project);
            _settingsErrors = NoErrors;
        }
    }

    private void Select(long deploymentId) => _selectedId = deploymentId;

    /// <summary>Runs a user action: one at a time, service refusals shown as a snackbar, then the page reloaded.</summary>
    private async Task RunAsync(Func<Task> action, bool reload = true)
    {
        _busy = true;
        try
        {
            await action();
        }
        catch (DeploymentException exception)
        {
            snackbar.Add(exception.Message, Severity.Error);
        }
        catch (ContainerRuntimeException exception)
        {
            snackbar.Add($"The Docker engine refused: {exception.Message}", Severity.Error);
        }
        finally
        {
            _busy = false;
        }

        if (reload)
        {
            await ReloadAsync(_disposed.Token);
        }
    }

    private static string FirstLine(string? message) =>
        message is null ? "" : message.Split('\n', 2)[0].Trim();

    private static string FormatDuration(TimeSpan? duration) => duration switch
    {
        null => "—",
        { TotalMinutes: >= 1 } d => $"{(int)d.TotalMinutes}m {d.Seconds:00}s",
        { } d => string.Create(Invariant, $"{d.TotalSeconds:0.0}s"),
    };

    private async Task StopWatchingAsync()
    {
        if (_watchCts is not null)
        {
            await _watchCts.CancelAsync();
            await _watching;
            _watchCts.Dispose();
            _watchCts = null;
        }

        _subscription?.Dispose();
        _subscription = null;
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await StopWatchingAsync();
        _throttle?.Dispose();
        _reloading.Dispose();
        _disposed.Dispose();
    }
}
