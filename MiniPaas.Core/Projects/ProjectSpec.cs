namespace MiniPaas.Core.Projects;

/// <summary>What the user asks for when creating or editing a project (the form's fields).</summary>
/// <param name="RootDirectory">Folder inside the repository holding the app; empty = repository root.</param>
/// <param name="DockerfilePath">Relative to <paramref name="RootDirectory"/>; null/empty = <c>Dockerfile</c> if present, else generated.</param>
public sealed record ProjectSpec(
    string Name,
    string Subdomain,
    string SourceUrl,
    string Branch = "main",
    string? RootDirectory = null,
    string? DockerfilePath = null,
    int? PortOverride = null,
    string? HealthCheckPath = null,
    double? CpuLimit = null,
    long? MemoryLimitMiB = null,
    bool AutoDeploy = false);

/// <summary>Outcome of <see cref="ProjectSpecValidator.Validate"/>: every field error at once, and the normalised spec when there are none.</summary>
/// <param name="Errors">Field name (the <see cref="ProjectSpec"/> property name) → message for a person.</param>
/// <param name="Normalized">The spec trimmed and normalised (root directory <c>./a/</c> → <c>a</c>, …); null when invalid.</param>
public sealed record ProjectSpecValidation(IReadOnlyDictionary<string, string> Errors, ProjectSpec? Normalized)
{
    public bool IsValid => Errors.Count == 0;
}
