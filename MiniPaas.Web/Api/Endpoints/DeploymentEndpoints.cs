using Microsoft.AspNetCore.Http.HttpResults;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Projects;
using MiniPaas.Web.Api.Authentication;
using MiniPaas.Web.Api.Contracts;
using MiniPaas.Web.Api.Logs;

namespace MiniPaas.Web.Api.Endpoints;

/// <summary><c>/api/deployments/{id}</c>: read, stop, roll back to, delete a deployment, and read or follow its build and runtime logs.</summary>
internal static class DeploymentEndpoints
{
    public static RouteGroupBuilder MapDeploymentEndpoints(this RouteGroupBuilder api)
    {
        var deployments = api.MapGroup("/deployments").WithTags("Deployments");
        deployments.MapGet("/{id:long}", GetAsync).WithName("GetDeployment").RequireApiScope(ApiScope.Read);
        deployments.MapPost("/{id:long}/stop", StopAsync).WithName("StopDeployment").RequireApiScope(ApiScope.Deploy);
        deployments.MapPost("/{id:long}/rollback", RollbackAsync).WithName("RollbackToDeployment").RequireApiScope(ApiScope.Deploy);
        deployments.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteDeployment");
        deployments.MapGet("/{id:long}/build-logs", BuildLogsAsync).WithName("GetBuildLogs").RequireApiScope(ApiScope.Read)
            .Produces<LogPageDto>()
            .Produces(StatusCodes.Status200OK, contentType: LogEventStreamResult.ContentType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        deployments.MapGet("/{id:long}/runtime-logs", RuntimeLogsAsync).WithName("GetRuntimeLogs").RequireApiScope(ApiScope.Read)
            .Produces<LogPageDto>()
            .Produces(StatusCodes.Status200OK, contentType: LogEventStreamResult.ContentType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<DeploymentDto>, ProblemHttpResult>> GetAsync(long id, ProjectService projects, CancellationToken ct) =>
        await DeploymentLookup.FindAsync(projects, id, ct) is { } deployment ? TypedResults.Ok(deployment) : DeploymentNotFound(id);

    private static async Task<Results<Accepted<DeploymentDto>, ProblemHttpResult>> StopAsync(
        long id, ProjectService projects, DeploymentService deployments, CancellationToken ct)
    {
        if (await projects.GetDeploymentAsync(id, ct) is null)
        {
            return DeploymentNotFound(id);
        }

        try
        {
            await deployments.StopDeploymentAsync(id, ct);
        }
        catch (DeploymentException ex)
        {
            return ApiResults.Conflict(ex.Message);
        }

        return await DeploymentLookup.FindAsync(projects, id, ct) is { } deployment
            ? TypedResults.Accepted($"/api/deployments/{id}", deployment)
            : DeploymentNotFound(id);
    }

    private static async Task<Results<Accepted<DeploymentDto>, ProblemHttpResult>> RollbackAsync(
        long id, ProjectService projects, DeploymentService deployments, HttpContext context, CancellationToken ct)
    {
        if (await projects.GetDeploymentAsync(id, ct) is null)
        {
            return DeploymentNotFound(id);
        }

        long rollbackId;
        try
        {
            rollbackId = await deployments.RollbackAsync(id, ApiResults.Actor(context.User), ct);
        }
        catch (DeploymentException ex)
        {
            return ApiResults.Conflict(ex.Message);
        }

        var deployment = await DeploymentLookup.FindAsync(projects, rollbackId, ct);
        return TypedResults.Accepted($"/api/deployments/{rollbackId}", deployment);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long id, ProjectService projects, DeploymentService deployments, CancellationToken ct)
    {
        if (await projects.GetDeploymentAsync(id, ct) is null)
        {
            return DeploymentNotFound(id);
        }

        try
        {
            await deployments.RemoveDeploymentAsync(id, ct);
        }
        catch (DeploymentException ex)
        {
            return ApiResults.Conflict(ex.Message);
        }

        return TypedResults.NoContent();
    }

    private static async Task<IResult> BuildLogsAsync(
        long id, HttpRequest request, ProjectService projects, BuildLogRecorder recorder, DeploymentStatusFeed statusFeed,
        CancellationToken ct, bool follow = false)
    {
        var query = LogQuery.Parse(request, out var errors);
        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        if (await projects.GetDeploymentAsync(id, ct) is not { } deployment)
        {
            return DeploymentNotFound(id);
        }

        var source = new BuildLogSource(deployment, recorder, statusFeed, projects);
        return follow ? new LogEventStreamResult(source, query) : TypedResults.Ok(query.Page(await source.ReadAsync(ct)));
    }

    private static async Task<IResult> RuntimeLogsAsync(
        long id, HttpRequest request, ProjectService projects, RuntimeLogQuery logs, DeploymentStatusFeed statusFeed,
        CancellationToken ct, bool follow = false)
    {
        var query = LogQuery.Parse(request, out var errors);
        if (errors.Count > 0)
        {
            return ApiResults.Invalid(errors);
        }

        if (await projects.GetDeploymentAsync(id, ct) is not { } deployment)
        {
            return DeploymentNotFound(id);
        }

        var source = new RuntimeLogSource(deployment, logs, statusFeed, projects, query);
        return follow ? new LogEventStreamResult(source, query) : TypedResults.Ok(await source.PageAsync(ct));
    }

    internal static ProblemHttpResult DeploymentNotFound(long id) => ApiResults.NotFound($"Deployment {id} does not exist.");
}
