using System.Globalization;
using Docker.DotNet.Models;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Ingress;

namespace MiniPaas.Core.Deploying.Docker;

/// <summary>
/// What a deployment container is created with: its environment with <c>PORT</c>, MiniPaas's and the ingress's labels,
/// and the hardening (every capability dropped but a few, no new privileges, no mounts, <c>--init</c>, CPU/memory/process
/// limits that are never unlimited, bounded json-file logs).
/// </summary>
internal static class ContainerCreation
{
    /// <summary>The variable that tells the app its port; <see cref="ContainerInspection"/> reads it back.</summary>
    public const string PortVariable = "PORT";

    /// <summary>
    /// Every capability is dropped, then only these come back. Generated Dockerfiles run the app as an unprivileged user
    /// (which holds none of them in its effective set); they are for images of the user's own that start as root and then
    /// drop to a worker user, as the official nginx, php-fpm and postgres-style entrypoints do.
    /// </summary>
    internal static readonly IReadOnlyList<string> AddedCapabilities =
    [
        // chown files to the worker user at start-up (entrypoints fixing ownership of a cache or upload folder).
        "CHOWN",
        // root reading and writing files owned by the worker user (root does not bypass permissions without it).
        "DAC_OVERRIDE",
        // chmod/utime on files root does not own, which the same entrypoints do after their chown.
        "FOWNER",
        // switching from root to the worker user (setgid/setuid/setgroups): the "drop privileges" step itself.
        "SETGID",
        "SETUID",
        // binding a port below 1024 (a project's port override of 80 in host network mode).
        "NET_BIND_SERVICE",
        // a root master signalling its workers that run as another user (graceful reload and stop).
        "KILL",
    ];

    // Left out on purpose, among the engine's defaults: NET_RAW (raw sockets, spoofing on the host network), MKNOD (device
    // nodes), SYS_CHROOT, SETFCAP/SETPCAP (granting capabilities), FSETID, AUDIT_WRITE. Anything else was never granted.
    private static readonly IList<string> DropEverything = ["ALL"];

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

        var limits = ContainerLimits.For(options, spec.Cpus, spec.MemoryMiB);
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
                NanoCPUs = (long)Math.Round(limits.Cpus * 1_000_000_000),
                Memory = limits.MemoryMiB * 1024 * 1024,
                // Equal to Memory: no swap on top of the limit, so a leak ends in an OOM kill rather than a thrashing host.
                MemorySwap = limits.MemoryMiB * 1024 * 1024,
                PidsLimit = limits.Pids,
                Privileged = false,
                // setuid binaries in the image cannot regain what was dropped.
                SecurityOpt = ["no-new-privileges"],
                CapDrop = DropEverything,
                CapAdd = [.. AddedCapabilities],
                // No volumes and no binds: nothing of the host's file system (and never the Docker socket) is inside.
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
