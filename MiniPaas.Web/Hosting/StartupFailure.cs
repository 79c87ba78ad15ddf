using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace MiniPaas.Web.Hosting;

/// <summary>Turns known start-up failures (bad configuration, port in use, unwritable data directory) into one line on stderr and exit code 1.</summary>
public static class StartupFailure
{
    public static async Task<int> GuardAsync(Func<Task> run, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            await run();
            return 0;
        }
        catch (Exception exception) when (Describe(exception) is { } line)
        {
            await error.WriteLineAsync(line);
            return 1;
        }
    }

    /// <summary>One human line for a known start-up failure; null for anything else (which keeps its stack trace).</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        MiniPaas.Web.Ingress.PortInUseException port => port.Message,
        MiniPaas.Core.Persistence.DatabaseUnavailableException database => "MiniPaas could not start: " + database.Message,
        OptionsValidationException options => "Invalid configuration: " + string.Join(" ", options.Failures),
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(e => e is OptionsValidationException) =>
            "Invalid configuration: " + string.Join(" ", aggregate.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)),
        IOException { InnerException: SocketException or AddressInUseException } io => "MiniPaas could not start: " + io.Message,
        SocketException socket => "MiniPaas could not start: " + socket.Message,
        UnauthorizedAccessException access => "MiniPaas could not start: " + access.Message,
        _ => null,
    };
}
