using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Docker.DotNet;

namespace MiniPaas.Core.Deploying.Docker;

/// <summary>Turns engine and transport failures into one readable line for logs and the dashboard.</summary>
internal static class DockerErrors
{
    public static string Unreachable(string endpoint, Exception exception) =>
        $"Docker engine not reachable at {endpoint}: {Reason(exception)} — start dockerd or set MiniPaas__Docker__Endpoint";

    public static bool IsNotFound(DockerApiException exception) => exception.StatusCode == HttpStatusCode.NotFound;

    /// <summary>The engine's own message ("No such image: …") rather than the raw JSON body.</summary>
    public static string ApiMessage(DockerApiException exception)
    {
        var body = exception.ResponseBody;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var message))
                {
                    return message.GetString() ?? body.Trim();
                }
            }
            catch (JsonException)
            {
                // Not JSON: the body is already text.
            }

            return body.Trim();
        }

        return $"{(int)exception.StatusCode} {exception.StatusCode}";
    }

    /// <summary>True for failures of the transport (socket missing, refused, timeout), as opposed to the engine saying no.</summary>
    public static bool IsTransport(Exception exception) =>
        exception is HttpRequestException or SocketException or IOException or TimeoutException
        || (exception.InnerException is not null && IsTransport(exception.InnerException));

    private static string Reason(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported => "no such socket",
                        SocketError.TimedOut => "timed out",
                        SocketError.AccessDenied => "permission denied",
                        _ => socket.Message.ToLowerInvariant(),
                    };
                case TimeoutException or TaskCanceledException or OperationCanceledException:
                    return "timed out";
                case UnauthorizedAccessException:
                    return "permission denied";
                case DockerApiException api:
                    return ApiMessage(api);
            }
        }

        return exception.Message;
    }
}
