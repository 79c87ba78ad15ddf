using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MiniPaas.Web.Api;

/// <summary>The API's problem answers (RFC 9457 bodies) and its JSON body reader with field-level errors.</summary>
internal static class ApiResults
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    public static ProblemHttpResult BadGateway(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Upstream failure", detail: detail);

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request has invalid fields.");

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    /// <summary>Who is calling, for audit trails: <c>api:&lt;token name&gt;</c>.</summary>
    public static string Actor(ClaimsPrincipal user) => "api:" + (user?.Identity?.Name ?? "token");

    /// <summary>
    /// Reads a JSON body. Malformed JSON or a value of the wrong type is reported at its field (from the JSON path)
    /// instead of the framework's bare 400.
    /// </summary>
    public static async Task<(T? Body, ValidationProblem? Problem)> ReadBodyAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return (null, Invalid("body", "Send a JSON body with 'Content-Type: application/json'."));
        }

        var json = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var body = await request.ReadFromJsonAsync<T>(json, ct).ConfigureAwait(false);
            return body is null ? (null, Invalid("body", "The body must be a JSON object.")) : (body, null);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path.TrimStart('$').TrimStart('.') : "body";
            return (null, Invalid(field, field == "body" ? "The body is not valid JSON." : $"'{field}' has a value of the wrong type or is not valid JSON."));
        }
    }
}
