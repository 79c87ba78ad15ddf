using Microsoft.AspNetCore.Components;
using MiniPaas.Core.Building;
using MiniPaas.Core.GitHub;

namespace MiniPaas.Web.Components.GitHub;

/// <summary>What the picker hands to the new-project form.</summary>
public sealed record RepositoryChoice(RepositorySummary Repository, string Branch, DetectedStack? Stack, string? StackError);

/// <summary>Lists the user's GitHub repositories (all pages), filters them as you type, loads the branches of the chosen one.</summary>
public sealed partial class RepoPicker(RepositoryCatalog catalog) : IDisposable
{
    private const int MaxShown = 100;
    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<RepositorySummary>? _repositories;
    private IReadOnlyList<BranchSummary>? _branches;
    private RepositorySummary? _selected;
    private string? _branch;
    private string _search = "";
    private string? _error;
    private bool _loading;
    private bool _busy;

    /// <summary>The local id of the signed-in user whose token lists the repositories. Required.</summary>
    [Parameter, EditorRequired]
    public long UserId { get; set; }

    /// <summary>Called when the user confirms a repository and branch (with the detected stack). Defaults to none.</summary>
    [Parameter]
    public EventCallback<RepositoryChoice> OnChosen { get; set; }

    private IEnumerable<RepositorySummary> Filtered => string.IsNullOrWhiteSpace(_search)
        ? _repositories ?? []
        : (_repositories ?? []).Where(r => r.FullName.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase)
            || (r.Description?.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase) ?? false));

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        _loading = true;
        _error = null;
        var result = await catalog.ListRepositoriesAsync(UserId, _disposed.Token);
        _repositories = result.Value ?? _repositories;
        _error = result.Error;
        _loading = false;
    }

    private async Task SelectAsync(RepositorySummary repository)
    {
        _selected = repository;
        _branches = null;
        _branch = null;
        _busy = true;
        var result = await catalog.ListBranchesAsync(UserId, repository.Owner, repository.Name, _disposed.Token);
        _busy = false;
        _error = result.Error;
        _branches = result.Value ?? [];
        _branch = _branches.Any(b => b.Name == repository.DefaultBranch) ? repository.DefaultBranch : (_branches.Count > 0 ? _branches[0].Name : null);
    }

    private async Task UseAsync()
    {
        if (_selected is not { } repository || _branch is not { } branch)
        {
            return;
        }

        _busy = true;
        var stack = await catalog.DetectStackAsync(UserId, repository.CloneUrl, branch, _disposed.Token);
        _busy = false;
        await OnChosen.InvokeAsync(new RepositoryChoice(repository, branch, stack.Value, stack.Error));
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
