using System.Globalization;
using System.Text.Json;

namespace MiniPaas.Core.Ingress.Traefik;

/// <summary>The fields MiniPaas uses from one line of Traefik's JSON access log (<c>accessLog.format: json</c>).</summary>
/// <param name="Start">When Traefik received the request (<c>StartUTC</c>).</param>
/// <param name="DurationMs">Total time Traefik took, origin included (<c>Duration</c>, nanoseconds in the log).</param>
/// <param name="RouterName">The router that matched, e.g. <c>minipaas-demo@docker</c>; null when none matched.</param>
/// <param name="Path">The request path without its query string (<c>RequestPath</c> carries both).</param>
public sealed record TraefikAccessLogEntry(
    DateTimeOffset Start,
    string Method,
    string Path,
    string? Host,
    int Status,
    double DurationMs,
    long BytesSent,
    long BytesReceived,
    string? RouterName,
    string? ServiceName,
    string? ClientHost,
    string? UserAgent,
    string? Referrer);

/// <summary>Parses lines of Traefik's JSON access log; a line that is not a Traefik request record is refused, never guessed at.</summary>
public static class TraefikAccessLogParser
{
    /// <summary>Parses one line; false for blank, malformed or incomplete lines.</summary>
    public static bool TryParse(string line, out TraefikAccessLogEntry? entry)
    {
        entry = null;
        if (string.IsNullOrWhiteSpace(line))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || String(root, "RequestMethod") is not { Length: > 0 } method
                || Number(root, "DownstreamStatus") is not { } status
                || Time(root, "StartUTC") is not { } start)
            {
                return false;
            }

            var requestPath = String(root, "RequestPath") ?? "/";
            var query = requestPath.IndexOf('?', StringComparison.Ordinal);
            entry = new TraefikAccessLogEntry(
                start,
                method,
                query >= 0 ? requestPath[..query] : requestPath,
                String(root, "RequestHost"),
                (int)status,
                (Number(root, "Duration") ?? 0) / 1_000_000d, // ns → ms
                Number(root, "DownstreamContentSize") ?? 0,
                Number(root, "RequestContentSize") ?? 0,
                String(root, "RouterName"),
                String(root, "ServiceName"),
                String(root, "ClientHost"),
                String(root, "request_User-Agent"),
                String(root, "request_Referer"));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } text && text != "-"
            ? text
            : null;

    private static long? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private static DateTimeOffset? Time(JsonElement root, string name) =>
        String(root, name) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
