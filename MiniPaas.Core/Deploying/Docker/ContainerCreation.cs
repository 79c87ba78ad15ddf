using System.Globalization;
using Docker.DotNet.Models;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Ingress;

namespace MiniPaas.Core.Deploying.Docker;

/// <summary>
/// What a deployment container is created with: its environment with <c>PORT</c>, MiniPaas's and the ingress's labels,
/// and the hardening (no privileges, dropped capabilities, <c>--init</c>, limits, bounded json-file logs).
/// </summary>
internal static class ContainerCreation
{
    /// <summary>The variable that tells the app its port; <see cref="ContainerInspection"/> reads it back.</summary>
    public const string PortVariable = "PORT";

    // Capabilities a web app never needs; dropping them narrows what a compromised app can do on the host network.
    private static readonly string[] DroppedCapabilities = ["NET_RAW", "MKNOD", "AUDIT_WRITE", "SYS_CHROOT", "SETFCAP"];

    public static CreateContainerParameters Parameters(
        ContainerSpec spec, RuntimeOptions options, string networkMode, int port, IIngressContainerLabels? ingressLabels)
    {
        var env = new Dictionary<string, string>(spec.Environment, StringComparer.Ordinal)
        {
            // Set last so a user variable named PORT cannot point the ingress at the wrong port.
            [PortVariable] = port.ToString(CultureInfo.InvariantCulture),
        };
        var labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal)
        {
            [ContainerLabels.Managed] = "true",
        };
        // The ingress's own labels (Traefik's router and port) need the port, which is only known here.
        if (ingressLabels is not null && spec.Labels.TryGetValue(ContainerLabels.Subdomain, out var subdomain))
        {
            foreach (var (key, value) in ingressLabels.LabelsFor(subdomain, port))
            {
                labels[key] = value;
            }
        }

        return new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.Image,
            Env = [.. env.Select(kv => $"{kv.Key}={kv.Value}")],
            Labels = labels,
            Tty = false,
            StopTimeout = TimeSpan.FromSeconds(DockerContainerRuntime.StopTimeoutSeconds),
            HostConfig = new HostConfig
            {
                NetworkMode = networkMode,
                // A PID 1 that ignores SIGTERM would make every stop wait the full timeout.
                Init = true,
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
                NanoCPUs = spec.Cpus is > 0 ? (long)(spec.Cpus.Value * 1_000_000_000) : 0,
                Memory = spec.MemoryMiB is > 0 ? spec.MemoryMiB.Value * 1024 * 1024 : 0,
                Privileged = false,
                SecurityOpt = ["no-new-privileges"],
                CapDrop = DroppedCapabilities,
                Mounts = [],
                Binds = [],
                // Bounded on disk; the log attacher copies lines into PostgreSQL long before a file rotates away.
                LogConfig = new LogConfig
                {
                    Type = "json-file",
                    Config = new Dictionary<string, string>
                    {
                        ["max-size"] = options.LogMaxSize,
                        ["max-file"] = options.LogMaxFiles.ToString(CultureInfo.InvariantCulture),
                    },
                },
            },
        };
    }
}
