using Microsoft.AspNetCore.Components;
using MiniPaas.Core.Ingress;
using MiniPaas.Core.Projects;

namespace MiniPaas.Web.Components.Pages.ProjectsDetail;

/// <summary>
/// The project's settings as form fields. Validation is the server's (<see cref="ProjectService"/>): its errors, keyed by
/// <see cref="ProjectSpec"/> property name, are shown at their field and each field with an error carries
/// <c>data-testid="field-error-{Field}"</c>.
/// </summary>
public sealed partial class ProjectForm(IngressEndpoint ingress)
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    /// <summary>The values being edited; the form writes into it. Required.</summary>
    [Parameter, EditorRequired]
    public ProjectFormModel Model { get; set; } = null!;

    /// <summary>Field errors from the last save, keyed by <see cref="ProjectSpec"/> property name. Defaults to none.</summary>
    [Parameter]
    public IReadOnlyDictionary<string, string>? Errors { get; set; }

    /// <summary>Whether typing a name suggests the subdomain (until the subdomain is edited by hand). Defaults to <c>false</c>.</summary>
    [Parameter]
    public bool SuggestsSubdomain { get; set; }

    private IReadOnlyDictionary<string, string> CurrentErrors => Errors ?? NoErrors;

    private string? SubdomainPreview => string.IsNullOrWhiteSpace(Model.Subdomain)
        ? null
        : ingress.BaseUrlFor(Model.Subdomain.Trim()).ToString();

    private bool HasError(string field) => CurrentErrors.ContainsKey(field);

    private string? ErrorOf(string field) => CurrentErrors.GetValueOrDefault(field);

    private string? ErrorTestId(string field) => HasError(field) ? $"field-error-{field}" : null;

    private void OnNameChanged(string? name)
    {
        Model.Name = name ?? "";
        if (SuggestsSubdomain && !Model.IsSubdomainEdited)
        {
            Model.Subdomain = string.IsNullOrWhiteSpace(name) ? "" : SubdomainRules.Suggest(name, ingress.DashboardUrl.Host);
        }
    }

    private void OnSubdomainChanged(string? subdomain)
    {
        Model.Subdomain = subdomain ?? "";
        // An emptied subdomain goes back to following the name.
        Model.IsSubdomainEdited = !string.IsNullOrEmpty(subdomain);
    }
}
