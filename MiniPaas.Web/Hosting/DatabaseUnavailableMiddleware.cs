using System.Globalization;
using MiniPaas.Core.Persistence;
using MiniPaas.Web.Api;

namespace MiniPaas.Web.Hosting;

/// <summary>
/// Answers <c>503</c> with <c>Retry-After</c> wherever "the database is unreachable" (<see cref="DatabaseFaults"/>) surfaces
/// in a dashboard or API request — token authentication included, which runs before the API's own middleware: an
/// <c>application/problem+json</c> body under <c>/api</c>, a short self-reloading page elsewhere. Nothing is retried here:
/// the request did not happen, and the client is told when to try again. Never on the ingress path (apps need no database).
/// </summary>
internal sealed partial class DatabaseUnavailableMiddleware(RequestDelegate next, DatabaseAvailability availability, ILogger<DatabaseUnavailableMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && DatabaseFaults.AsUnavailable(ex) is { } unavailable)
        {
            availability.ReportUnavailable(unavailable);
            LogUnavailable(logger, context.Request.Method, context.Request.Path, DatabaseFaults.Describe(ex));
            await WriteAsync(context, unavailable);
        }
    }

    private static async Task WriteAsync(HttpContext context, DatabaseUnavailableException unavailable)
    {
        var seconds = DatabaseFaults.RetryAfter.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        var response = context.Response;
        response.Clear();
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = seconds;
        if (context.Request.Path.StartsWithSegments(ApiHostingExtensions.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Database unavailable", detail: unavailable.Message)
                .ExecuteAsync(context);
            return;
        }

        response.ContentType = "text/html; charset=utf-8";
        await response.WriteAsync(
            $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{seconds}"><title>Database unavailable · MiniPaas</title></head>
            <body><p data-testid="database-banner">Database unavailable — retrying. Apps keep serving; this page reloads on its own.</p></body></html>
            """,
            context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the database is unavailable ({Reason})")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string reason);
}
