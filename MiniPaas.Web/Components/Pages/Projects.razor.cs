using MiniPaas.Core.Projects;
using MudBlazor;

namespace MiniPaas.Web.Components.Pages;

/// <summary>The list of projects, with loading, empty and database-unreachable states.</summary>
public sealed partial class Projects(IProjectDirectory directory) : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<ProjectSummary>? _projects;
    private string? _error;

    protected override async Task OnInitializedAsync()
    {
        try
        {
            _projects = await directory.ListAsync(_disposed.Token);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            // Navigated away while loading.
        }
#pragma warning disable CA1031 // Any failure of the store (driver, network, timeout) is shown as "unreachable" rather than killing the circuit.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _error = exception.Message;
        }
    }

    private static Color StatusColor(string status) => status switch
    {
        "Running" => Color.Success,
        "Failed" or "Crashed" => Color.Error,
        "Queued" or "Cloning" or "Building" or "Starting" => Color.Info,
        _ => Color.Default,
    };

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
