using MiniPaas.Core.Projects;

namespace MiniPaas.Web.Api.Contracts;

/// <summary>Resource limits of a project's container; null fields mean MiniPaas's default (<c>MiniPaas:Runtime:DefaultLimits</c>), values above <c>MaxLimits</c> are refused.</summary>
/// <param name="Cpu">CPUs (e.g. 0.5).</param>
/// <param name="MemoryMiB">Memory in MiB.</param>
public sealed record ProjectLimits(double? Cpu, long? MemoryMiB);

/// <summary>The body of <c>POST /api/projects</c> and <c>PUT /api/projects/{id}</c> (PUT replaces every field).</summary>
public sealed record ProjectInput(
    string? Name,
    string? Subdomain,
    string? RepoUrl,
    string? Branch,
    string? RootDirectory,
    string? DockerfilePath,
    int? Port,
    string? HealthCheckPath,
    ProjectLimits? Limits,
    bool? AutoDeploy)
{
    internal ProjectSpec ToSpec() => new(
        Name ?? "", Subdomain ?? "", RepoUrl ?? "", Branch ?? "main", RootDirectory, DockerfilePath, Port, HealthCheckPath,
        Limits?.Cpu, Limits?.MemoryMiB, AutoDeploy ?? false);

    /// <summary>The API's name of a <see cref="ProjectSpec"/> field, so field errors point at what the caller sent.</summary>
    internal static string FieldName(string specProperty) => specProperty switch
    {
        nameof(ProjectSpec.SourceUrl) => "repoUrl",
        nameof(ProjectSpec.PortOverride) => "port",
        nameof(ProjectSpec.CpuLimit) => "limits.cpu",
        nameof(ProjectSpec.MemoryLimitMiB) => "limits.memoryMiB",
        _ => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(specProperty),
    };
}

/// <summary>A project with its settings and state.</summary>
/// <param name="Url">Where the live deployment answers; null when nothing is live.</param>
public sealed record ProjectDto(
    long Id,
    string Name,
    string Subdomain,
    string RepoUrl,
    string Branch,
    string RootDirectory,
    string? DockerfilePath,
    int? Port,
    string? HealthCheckPath,
    ProjectLimits Limits,
    bool AutoDeploy,
    DateTimeOffset CreatedAt,
    string? Url,
    DeploymentDto? LiveDeployment,
    DeploymentDto? LatestDeployment)
{
    internal static ProjectDto From(ProjectView p) => new(
        p.Id, p.Name, p.Subdomain, p.SourceUrl, p.Branch, p.RootDirectory, p.DockerfilePath, p.PortOverride, p.HealthCheckPath,
        new ProjectLimits(p.CpuLimit, p.MemoryLimitMiB), p.AutoDeploy, p.CreatedAt, p.LiveUrl,
        p.Live is null ? null : DeploymentDto.From(p.Live, p.LiveUrl),
        p.Latest is null ? null : DeploymentDto.From(p.Latest, p.LiveUrl));
}

/// <summary>One line of <c>GET /api/projects</c>.</summary>
/// <param name="Status">Status of the latest deployment in lower case, or <c>notdeployed</c>.</param>
public sealed record ProjectSummaryDto(long Id, string Name, string Subdomain, string Status, string? Url, DateTimeOffset UpdatedAt)
{
    internal static ProjectSummaryDto From(ProjectSummary s) => new(s.Id, s.Name, s.Subdomain, s.Status.ToLowerInvariant(), s.LiveUrl, s.UpdatedAt);
}
