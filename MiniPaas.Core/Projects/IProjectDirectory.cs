namespace MiniPaas.Core.Projects;

/// <summary>One line of the projects list: what the dashboard shows without loading a project's details.</summary>
/// <param name="Id">Database id of the project.</param>
/// <param name="Name">Display name.</param>
/// <param name="Subdomain">Subdomain under the apps domain.</param>
/// <param name="Status">Status of the latest deployment (e.g. <c>Running</c>, <c>Failed</c>), or <c>NotDeployed</c>.</param>
/// <param name="LiveUrl">Public URL when a deployment is serving; otherwise null.</param>
/// <param name="UpdatedAt">Last change of the project or its latest deployment.</param>
public sealed record ProjectSummary(long Id, string Name, string Subdomain, string Status, string? LiveUrl, DateTimeOffset UpdatedAt);

/// <summary>Read-side queries over projects for the dashboard (no EF types leak through it).</summary>
public interface IProjectDirectory
{
    /// <summary>All projects, most recently updated first.</summary>
    Task<IReadOnlyList<ProjectSummary>> ListAsync(CancellationToken ct = default);
}
