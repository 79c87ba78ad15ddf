using System.Globalization;
using Microsoft.AspNetCore.Components;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;

namespace MiniPaas.Web.Components.Logs;

/// <summary>A project's runtime logs: the running (else newest) deployment by default, any earlier one from the selector.</summary>
public sealed partial class RuntimeLogsPanel(ProjectService projects, RuntimeLogQuery query)
{
    private RuntimeLogViewSource? _source;
    private IReadOnlyList<LogViewDeployment> _deployments = [];
    private long? _selected;
    private long? _loadedFor;
    private string? _loadError;

    /// <summary>The project whose runtime logs are shown. Required.</summary>
    [Parameter, EditorRequired]
    public long ProjectId { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == ProjectId)
        {
            return;
        }

        _loadedFor = ProjectId;
        try
        {
            var list = await projects.ListDeploymentsAsync(ProjectId, take: 200);
            _deployments = [.. list.Select(d => new LogViewDeployment(
                d.Id,
                string.Create(CultureInfo.InvariantCulture, $"#{d.Id} · {d.Status} · {d.CreatedAt.ToLocalTime():g}")))];
            _selected = list.FirstOrDefault(d => d.Status == DeploymentStatus.Running)?.Id ?? (list.Count > 0 ? list[0].Id : null);
            _source = new RuntimeLogViewSource(query, ProjectId);
            _loadError = null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or Npgsql.NpgsqlException or TimeoutException)
        {
            _loadError = exception.Message;
        }
    }

    private void Select(long deploymentId) => _selected = deploymentId;
}
