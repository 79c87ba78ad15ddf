using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MiniPaas.Web.Health;

/// <summary>Paths, tags and the JSON body of the health endpoints.</summary>
public static class HealthEndpoints
{
    public const string LivePath = "/healthz";
    public const string ReadyPath = "/readyz";
    public const string ReadyTag = "ready";

    /// <summary>Writes <c>{"status":"Unhealthy","checks":{"database":{"status":"Unhealthy","description":"…"}}}</c>.</summary>
    public static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
