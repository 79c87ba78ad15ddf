using Microsoft.AspNetCore.Components;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Projects;
using MudBlazor;

namespace MiniPaas.Web.Components.Pages.ProjectsDetail;

/// <summary>Creates a project (optionally deploying it at once); the server's field errors are shown at their fields.</summary>
public sealed partial class NewProject(ProjectService projects, DeploymentService deployments, NavigationManager navigation, ISnackbar snackbar)
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();
    private readonly ProjectFormModel _model = new();
    private IReadOnlyDictionary<string, string> _errors = NoErrors;
    private string? _failure;
    private bool _saving;

    private async Task CreateAsync(bool deploy)
    {
        _saving = true;
        _failure = null;
        try
        {
            var result = await projects.CreateAsync(_model.ToSpec());
            if (!result.Succeeded)
            {
                _errors = result.Errors;
                return;
            }

            _errors = NoErrors;
            var projectId = result.ProjectId!.Value;
            if (deploy)
            {
                try
                {
                    await deployments.DeployAsync(projectId, "manual");
                }
                catch (DeploymentException exception)
                {
                    // The project exists; say why the deploy did not start and let the project page offer it again.
                    snackbar.Add(exception.Message, Severity.Error);
                }
            }

            navigation.NavigateTo($"/projects/{projectId}");
        }
#pragma warning disable CA1031 // The database being down (or any store failure) is shown on the form; the circuit stays up.
        catch (Exception exception) when (exception is not NavigationException)
#pragma warning restore CA1031
        {
            _failure = $"Could not save the project: {exception.Message}";
        }
        finally
        {
            _saving = false;
        }
    }
}
