using MiniPaas.Core.Projects;

namespace MiniPaas.Web.Components.Pages.ProjectsDetail;

/// <summary>The editable state of the project form (new project and settings); converts to and from <see cref="ProjectSpec"/>.</summary>
public sealed class ProjectFormModel
{
    public string Name { get; set; } = "";

    public string Subdomain { get; set; } = "";

    /// <summary>Once the user types a subdomain, the name stops suggesting one.</summary>
    public bool IsSubdomainEdited { get; set; }

    public string SourceUrl { get; set; } = "";

    public string Branch { get; set; } = "main";

    public string? RootDirectory { get; set; }

    public string? DockerfilePath { get; set; }

    public int? PortOverride { get; set; }

    public string? HealthCheckPath { get; set; }

    public double? CpuLimit { get; set; }

    public long? MemoryLimitMiB { get; set; }

    public bool AutoDeploy { get; set; }

    public ProjectSpec ToSpec() => new(
        Name, Subdomain, SourceUrl, Branch, RootDirectory, DockerfilePath, PortOverride, HealthCheckPath, CpuLimit, MemoryLimitMiB, AutoDeploy);

    public static ProjectFormModel From(ProjectView project)
    {
        ArgumentNullException.ThrowIfNull(project);
        return new ProjectFormModel
        {
            Name = project.Name,
            Subdomain = project.Subdomain,
            IsSubdomainEdited = true,
            SourceUrl = project.SourceUrl,
            Branch = project.Branch,
            RootDirectory = project.RootDirectory,
            DockerfilePath = project.DockerfilePath,
            PortOverride = project.PortOverride,
            HealthCheckPath = project.HealthCheckPath,
            CpuLimit = project.CpuLimit,
            MemoryLimitMiB = project.MemoryLimitMiB,
            AutoDeploy = project.AutoDeploy,
        };
    }
}
