using Microsoft.AspNetCore.Components;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.GitHub;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Projects;
using MiniPaas.Web.Components.GitHub;
using MiniPaas.Web.GitHub;
using MudBlazor;

namespace MiniPaas.Web.Components.Pages.ProjectsDetail;

/// <summary>Creates a project (optionally deploying it at once); the server's field errors are shown at their fields.</summary>
public sealed partial class NewProject(
    ProjectService projects,
    DeploymentService deployments,
    ProjectGitHubState gitHubState,
    CurrentUser currentUser,
    IngressEndpoint ingress,
    NavigationManager navigation,
    ISnackbar snackbar)
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();
    private readonly ProjectFormModel _model = new();
    private IReadOnlyDictionary<string, string> _errors = NoErrors;
    private string? _failure;
    private bool _saving;
    private SignedInUser? _user;
    private string? _stackNote;
    private bool _stackDetected;

    protected override async Task OnInitializedAsync() => _user = await currentUser.GetAsync();

    /// <summary>Fills the form from the picked repository: name, suggested subdomain, clone URL, branch; shows the detected stack.</summary>
    private void UseRepository(RepositoryChoice choice)
    {
        _model.Name = choice.Repository.Name;
        _model.IsSubdomainEdited = false;
        _model.Subdomain = SubdomainRules.Suggest(choice.Repository.Name, ingress.DashboardUrl.Host);
        _model.SourceUrl = choice.Repository.CloneUrl;
        _model.Branch = choice.Branch;
        _stackDetected = choice.Stack is not null;
        _stackNote = choice.Stack is { } stack
            ? $"Detected stack: {stack.Stack}{(stack.Framework is { } framework ? $" ({framework})" : "")}"
            : $"Stack not detected yet: {choice.StackError}";
    }

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
            if (_user is { } user)
            {
                // The creator owns it: clones of a private repository use their GitHub token.
                await gitHubState.AssignOwnerAsync(projectId, user.UserId);
            }

            if (deploy)
            {
                try
                {
                    await deployments.DeployAsync(projectId, "manual", await currentUser.GetActorAsync());
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
