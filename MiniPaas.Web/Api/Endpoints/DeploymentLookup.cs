using MiniPaas.Core.Persistence;
using MiniPaas.Core.Projects;
using MiniPaas.Web.Api.Contracts;

namespace MiniPaas.Web.Api.Endpoints;

/// <summary>Reads deployments as API shapes through <see cref="ProjectService"/> (the live URL comes from the project).</summary>
internal static class DeploymentLookup
{
    public static async Task<DeploymentDto?> FindAsync(ProjectService projects, long deploymentId, CancellationToken ct)
    {
        var deployment = await projects.GetDeploymentAsync(deploymentId, ct).ConfigureAwait(false);
        if (deployment is null)
        {
            return null;
        }

        var liveUrl = deployment.Status == DeploymentStatus.Running ? (await projects.GetAsync(deployment.ProjectId, ct).ConfigureAwait(false))?.LiveUrl : null;
        return ToDto(deployment, liveUrl);
    }

    public static DeploymentDto ToDto(DeploymentView deployment, string? liveUrl) => DeploymentDto.From(deployment, liveUrl);
}
