using Microsoft.AspNetCore.Http.HttpResults;
using MiniPaas.Core.ApiTokens;
using MiniPaas.Core.Git;
using MiniPaas.Core.Projects;
using MiniPaas.Core.Variables;
using MiniPaas.Web.Api.Authentication;
using MiniPaas.Web.Api.Contracts;

namespace MiniPaas.Web.Api.Endpoints;

/// <summary><c>/api/projects/{id}/env</c>: a project's variables (secrets masked unless <c>?reveal=true</c>) and suggestions from its repository.</summary>
internal static class EnvEndpoints
{
    public static RouteGroupBuilder MapEnvEndpoints(this RouteGroupBuilder api)
    {
        var env = api.MapGroup("/projects/{id:long}/env").WithTags("Variables");
        env.MapGet("/", ListAsync).WithName("ListVariables").RequireApiScope(ApiScope.Read, revealScope: ApiScope.Admin);
        env.MapPost("/", CreateAsync).WithName("SetVariable").Accepts<EnvVarInput>("application/json");
        env.MapGet("/suggest", SuggestAsync).WithName("SuggestVariables").RequireApiScope(ApiScope.Read, revealScope: ApiScope.Admin);
        env.MapPut("/{key}", ReplaceAsync).WithName("ReplaceVariable").Accepts<EnvVarInput>("application/json");
        env.MapDelete("/{key}", DeleteAsync).WithName("DeleteVariable");
        return api;
    }

    private static async Task<Results<Ok<EnvVarDto[]>, ProblemHttpResult>> ListAsync(
        long id, ProjectService projects, ProjectVariables variables, CancellationToken ct, bool reveal = false)
    {
        if (await projects.GetAsync(id, ct) is null)
        {
            return ProjectEndpoints.ProjectNotFound(id);
        }

        return TypedResults.Ok((await variables.ListAsync(id, ct)).Select(v => EnvVarDto.From(v, reveal)).ToArray());
    }

    private static async Task<Results<Created<EnvVarChangeDto>, Ok<EnvVarChangeDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        long id, HttpRequest request, ProjectService projects, ProjectVariables variables, CancellationToken ct, bool reveal = false)
    {
        if (await projects.GetAsync(id, ct) is null)
        {
            return ProjectEndpoints.ProjectNotFound(id);
        }

        var (input, problem) = await ApiResults.ReadBodyAsync<EnvVarInput>(request, ct);
        if (input is null)
        {
            return problem!;
        }

        var existed = (await variables.ListAsync(id, ct)).Any(v => v.Key == input.Key);
        var outcome = await SetAsync(id, input.Key, input, variables, request.HttpContext, reveal, ct);
        return outcome switch
        {
            { Change: { } change } when existed => TypedResults.Ok(change),
            { Change: { } change } => TypedResults.Created($"/api/projects/{id}/env/{change.Variable.Key}", change),
            { Invalid: { } invalid } => invalid,
            _ => outcome.Problem!,
        };
    }

    private static async Task<Results<Ok<EnvVarChangeDto>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        long id, string key, HttpRequest request, ProjectService projects, ProjectVariables variables, CancellationToken ct, bool reveal = false)
    {
        if (await projects.GetAsync(id, ct) is null)
        {
            return ProjectEndpoints.ProjectNotFound(id);
        }

        var (input, problem) = await ApiResults.ReadBodyAsync<EnvVarInput>(request, ct);
        if (input is null)
        {
            return problem!;
        }

        if (input.Key is not null && input.Key != key)
        {
            return ApiResults.Invalid("key", $"The body's key '{input.Key}' differs from the key in the path '{key}'; leave it out or make them equal.");
        }

        var outcome = input is { Value: null, Secret: { } secret }
            ? await SetSecretAsync(id, key, secret, variables, request.HttpContext, reveal, ct)
            : await SetAsync(id, key, input, variables, request.HttpContext, reveal, ct);
        return outcome switch
        {
            { Change: { } change } => TypedResults.Ok(change),
            { Invalid: { } invalid } => invalid,
            _ => outcome.Problem!,
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        long id, string key, ProjectService projects, ProjectVariables variables, HttpContext context, CancellationToken ct)
    {
        if (await projects.GetAsync(id, ct) is null)
        {
            return ProjectEndpoints.ProjectNotFound(id);
        }

        return await variables.DeleteAsync(id, key, ApiResults.Actor(context.User), ct)
            ? TypedResults.NoContent()
            : ApiResults.NotFound($"Project {id} has no variable '{key}'.");
    }

    private static async Task<Results<Ok<EnvSuggestionsDto>, ProblemHttpResult>> SuggestAsync(
        long id, ProjectService projects, ProjectSuggestions suggestions, CancellationToken ct, bool reveal = false)
    {
        if (await projects.GetAsync(id, ct) is null)
        {
            return ProjectEndpoints.ProjectNotFound(id);
        }

        try
        {
            var scan = await suggestions.ScanAsync(id, ct);
            return TypedResults.Ok(new EnvSuggestionsDto(
                scan.CommitSha,
                [.. scan.Suggestions.Select(s => EnvSuggestionDto.From(s, reveal))],
                [.. scan.Missing.Select(s => EnvSuggestionDto.From(s, reveal))]));
        }
        catch (GitException ex)
        {
            return ApiResults.BadGateway($"Could not read the project's repository: {ex.Message}");
        }
    }

    private sealed record SetOutcome(EnvVarChangeDto? Change, ValidationProblem? Invalid, ProblemHttpResult? Problem);

    private static async Task<SetOutcome> SetSecretAsync(
        long projectId, string key, bool secret, ProjectVariables variables, HttpContext context, bool reveal, CancellationToken ct)
    {
        if (!await variables.SetSecretAsync(projectId, key, secret, ApiResults.Actor(context.User), ct))
        {
            return new SetOutcome(null, null, ApiResults.NotFound($"Project {projectId} has no variable '{key}'."));
        }

        var saved = (await variables.ListAsync(projectId, ct)).Single(v => v.Key == key);
        return new SetOutcome(new EnvVarChangeDto(EnvVarDto.From(saved, reveal), []), null, null);
    }

    // The same rules as the dashboard's editor, checked first so each problem is reported at its field.
    private static async Task<SetOutcome> SetAsync(
        long projectId, string? key, EnvVarInput input, ProjectVariables variables, HttpContext context, bool reveal, CancellationToken ct)
    {
        var value = input.Value;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (VariableRules.CheckKey(key).Error is { } keyError)
        {
            errors["key"] = [keyError];
        }

        if (VariableRules.CheckValue(value).Error is { } valueError)
        {
            errors["value"] = [valueError];
        }

        if (errors.Count > 0)
        {
            return new SetOutcome(null, ApiResults.Invalid(errors), null);
        }

        var result = await variables.SetAsync(projectId, new VariableInput(key!, value!, input.Secret), ApiResults.Actor(context.User), ct);
        if (!result.Succeeded)
        {
            return new SetOutcome(null, null, ApiResults.Conflict(result.Error ?? "The variable could not be saved."));
        }

        var saved = (await variables.ListAsync(projectId, ct)).Single(v => v.Key == key);
        return new SetOutcome(new EnvVarChangeDto(EnvVarDto.From(saved, reveal), result.Warnings), null, null);
    }
}
