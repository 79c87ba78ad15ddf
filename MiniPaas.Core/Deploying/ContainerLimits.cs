using System.Globalization;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Deploying;

/// <summary>The limits one app container actually runs with (never unlimited).</summary>
/// <param name="Cpus">CPU share in cores.</param>
/// <param name="MemoryMiB">Memory in MiB, swap included.</param>
/// <param name="Pids">Most processes and threads at once.</param>
public sealed record ContainerLimits(double Cpus, long MemoryMiB, long Pids)
{
    /// <summary>
    /// A project's own CPU and memory (null = not set) over the configured defaults, each held to the configured maximum
    /// (a project saved before the maximum was lowered gets the maximum, not an error at deploy time).
    /// Processes are not set per project: every app gets the default.
    /// </summary>
    public static ContainerLimits For(RuntimeOptions options, double? projectCpus, long? projectMemoryMiB)
    {
        ArgumentNullException.ThrowIfNull(options);
        var defaults = options.DefaultLimits;
        var max = options.MaxLimits;
        return new ContainerLimits(
            Math.Min(projectCpus is > 0 ? projectCpus.Value : defaults.Cpus, max.Cpus),
            Math.Min(projectMemoryMiB is > 0 ? projectMemoryMiB.Value : defaults.MemoryMiB, max.MemoryMiB),
            Math.Min(defaults.Pids, max.Pids));
    }

    /// <summary>"1 CPU · 512 MiB · 256 processes".</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Cpus:0.##} CPU · {MemoryMiB} MiB · {Pids} processes");
}
