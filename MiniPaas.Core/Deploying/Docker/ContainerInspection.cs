using System.Globalization;
using Docker.DotNet.Models;

namespace MiniPaas.Core.Deploying.Docker;

/// <summary>
/// Turns the engine's inspect answer into a <see cref="ContainerInfo"/>: the upstream is loopback and the container's
/// <c>PORT</c> in host network mode, else its address on the configured bridge network (or any network it has one on).
/// </summary>
internal static class ContainerInspection
{
    public static ContainerInfo ToInfo(ContainerInspectResponse inspected, string bridgeNetwork)
    {
        var env = inspected.Config?.Env ?? [];
        var portText = env.FirstOrDefault(e => e.StartsWith(ContainerCreation.PortVariable + "=", StringComparison.Ordinal))?[(ContainerCreation.PortVariable.Length + 1)..];
        var hasPort = int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port > 0;
        var isHost = string.Equals(inspected.HostConfig?.NetworkMode, "host", StringComparison.Ordinal);

        string? upstream = null;
        if (hasPort && isHost)
        {
            upstream = $"127.0.0.1:{port}";
        }
        else if (hasPort && inspected.NetworkSettings?.Networks is { } networks)
        {
            var address = networks.TryGetValue(bridgeNetwork, out var endpoint) && !string.IsNullOrEmpty(endpoint.IPAddress)
                ? endpoint.IPAddress
                : networks.Values.Select(n => n.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
            upstream = address is null ? null : $"{address}:{port}";
        }

        var running = inspected.State?.Running ?? false;
        return new ContainerInfo(
            inspected.ID,
            inspected.Name?.TrimStart('/') ?? inspected.ID,
            inspected.Config?.Image ?? inspected.Image,
            new Dictionary<string, string>(inspected.Config?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            running,
            running ? null : (int?)inspected.State?.ExitCode,
            (int)inspected.RestartCount,
            upstream);
    }
}
