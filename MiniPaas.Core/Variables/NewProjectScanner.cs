using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MiniPaas.Core.Projects;

namespace MiniPaas.Core.Variables;

/// <summary>
/// Scans a project's repository for variables as soon as the project is created, in the background (a clone may take a
/// while and creating a project must not wait for it). One scan at a time; a failure is logged and the next one runs.
/// </summary>
public sealed class NewProjectScanner(ProjectSuggestions suggestions, ILogger<NewProjectScanner> logger) : BackgroundService, IProjectCreationObserver
{
    // Creating many projects at once only delays their first suggestions; the editor scans itself when it finds none.
    private readonly Channel<long> _pending = Channel.CreateBounded<long>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void ProjectCreated(long projectId) => _pending.Writer.TryWrite(projectId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var projectId in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await suggestions.ScanAsync(projectId, ProjectSuggestions.CreatedTrigger, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // An unreachable repository or a project deleted meanwhile: the editor offers a scan on demand.
                logger.ScanFailed(ex, projectId, ProjectSuggestions.CreatedTrigger);
            }
        }
    }
}
