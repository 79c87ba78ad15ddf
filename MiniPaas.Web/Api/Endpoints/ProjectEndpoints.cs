using Microsoft.AspNetCore.Http.HttpResults;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Projects;
using MiniPaas.Web.Api.Authentication;
using MiniPaas.Web.Api.Contracts;

namespace MiniPaas.Web.Api.Endpoints;

/// <summary><c>/api/projects</c>: list, create, read, replace and delete projects; deploy and list deployments.</summary>
internal static class ProjectEndpoints
{
    public static RouteGroupBuilder MapProjectEndpoints(this RouteGroupBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("Projects");
        projects.MapGet("/", ListAsync).WithName("ListProjects").RequireApiScope(ApiScope.Read);
        projects.MapPost("/", CreateAsync).WithName("CreateProject").Accepts<ProjectInput>("application/json");
        projects.MapGet("/{id:long}", GetAsync).WithName("GetProject").RequireApiScope(ApiScope.Read);
        projects.MapPut("/{id:long}", UpdateAsync).WithName("UpdateProject").Accepts<ProjectInput>("application/json");
        projects.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteProject");
        projects.MapPost("/{id:long}/deploy", DeployAsync).WithName("DeployProject").RequireApiScope(ApiScope.Deploy);
        projects.MapGet("/{id:long}/deployments", ListDeploymentsAsync).WithName("ListDeployments").RequireApiScope(ApiScope.Read);
        return api;
    }

    private static async Task<Ok<ProjectSummaryDto[]>> ListAsync(IProjectDirectory directory, CancellationToken ct) =>
        TypedResults.Ok((await directory.ListAsync(ct)).Select(ProjectSummaryDto.From).ToArray());

    private static async Task<Results<Created<ProjectDto>, ValidationProblem>> CreateAsync(HttpRequest request, ProjectService service, CancellationToken ct)
    {
        var (input, problem) = await ApiResults.ReadBodyAsync<ProjectInput>(request, ct);
        if (input is null)
        {
            return problem!;
        }

        var result = await service.CreateAsync(input.ToSpec(), ct);
        if (!result.Succeeded)
        {
            return FieldErrors(result);
        }

        var project = ProjectDto.From((await service.GetAsync(result.ProjectId!.Value, ct))!);
        return TypedResults.Created($"/api/projects/{project.Id}", project);
    }

    private static async Task<Results<Ok<ProjectDto>, ProblemHttpResult>> GetAsync(long id, ProjectService service, CancellationToken ct) =>
        await service.GetAsync(id, ct) is { } project ? TypedResults.Ok(ProjectDto.From(project)) : ProjectNotFound(id);

    private static async Task<Results<Ok<ProjectDto>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, HttpRequest request, ProjectService service, CancellationToken ct)
    {
        if (await service.GetAsync(id, ct) is null)
        {
            return ProjectNotFound(id);
        }

        var (input, problem) = await ApiResults.ReadBodyAsync<ProjectInput>(request, ct);
        if (input is null)
        {
            return problem!;
        }

        try
        {
            var result = await service.UpdateAsync(id, input.ToSpec(), ct);
            if (!result.Succeeded)
            {
                return FieldErrors(result);
            }
        }
        catch (DeploymentException)
        {
            // Deleted between the check above and the update.
            return ProjectNotFound(id);
        }

        return TypedResults.Ok(ProjectDto.From((await service.GetAsync(id, ct))!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, ProjectService service, CancellationToken ct)
    {
        if (await service.GetAsync(id, ct) is not { } project)
        {
            return ProjectNotFound(id);
        }

        try
        {
            // The token is the owner's authority; the dashboard's typed confirmation is a safeguard for people, given here as the name.
            await service.DeleteAsync(id, project.Name, ct);
        }
        catch (DeploymentException)
        {
            return ProjectNotFound(id);
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<DeploymentDto>, ProblemHttpResult>> DeployAsync(
        long id, ProjectService projects, DeploymentService deployments, HttpContext context, CancellationToken ct)
    {
        if (await projects.GetAsync(id, ct) is null)
        {
            return ProjectNotFound(id);
        }

        long deploymentId;
        try
        {
            deploymentId = await deployments.DeployAsync(id, trigger: "api", triggeredBy: ApiResults.Actor(context.User), ct: ct);
        }
        catch (DeploymentException ex)
        {
            return ApiResults.Conflict(ex.Message);
        }

        var deployment = await DeploymentLookup.FindAsync(projects, deploymentId, ct);
        return TypedResults.Accepted($"/api/deployments/{deploymentId}", deployment);
    }

    private static async Task<Results<Ok<DeploymentDto[]>, ProblemHttpResult>> ListDeploymentsAsync(
        long id, ProjectService service, CancellationToken ct, int? limit = null)
    {
        if (await service.GetAsync(id, ct) is not { } project)
        {
            return ProjectNotFound(id);
        }

        var rows = await service.ListDeploymentsAsync(id, Math.Clamp(limit ?? 50, 1, 500), ct);
        return TypedResults.Ok(rows.Select(d => DeploymentDto.From(d, project.LiveUrl)).ToArray());
    }

    internal static ProblemHttpResult ProjectNotFound(long id) => ApiResults.NotFound($"Project {id} does not exist.");

    private static ValidationProblem FieldErrors(ProjectSaveResult result) =>
        ApiResults.Invalid(result.Errors.ToDictionary(e => ProjectInput.FieldName(e.Key), e => new[] { e.Value }, StringComparer.Ordinal));
}
