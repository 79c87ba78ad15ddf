using System.Globalization;

namespace MiniPaas.Core.Configuration;

/// <summary>
/// CPU, memory and process limits of app containers, as bound from <c>MiniPaas:Runtime:DefaultLimits</c> (what a project
/// gets unless it sets its own) and <c>MiniPaas:Runtime:MaxLimits</c> (the most a project may ask for).
/// </summary>
public sealed class ContainerLimitsOptions
{
    /// <summary>Smallest CPU share a limit may name: below it an app cannot even start its runtime in time.</summary>
    public const double MinCpus = 0.05;

    /// <summary>Smallest memory limit in MiB (the engine itself refuses less than 6 MB).</summary>
    public const long MinMemoryMiB = 16;

    /// <summary>Fewest processes (threads count too): a .NET or Node app starts a dozen threads before it serves.</summary>
    public const long MinPids = 16;

    /// <summary>CPU share in cores (<c>--cpus</c>).</summary>
    public double Cpus { get; set; }

    /// <summary>Memory in MiB (<c>--memory</c>; swap is not added on top).</summary>
    public long MemoryMiB { get; set; }

    /// <summary>Most processes and threads at once (<c>--pids-limit</c>); what stops a fork bomb.</summary>
    public long Pids { get; set; }

    /// <summary>Defaults of <c>DefaultLimits</c>: 1 CPU, 512 MiB, 256 processes.</summary>
    public static ContainerLimitsOptions Defaults() => new() { Cpus = 1, MemoryMiB = 512, Pids = 256 };

    /// <summary>Defaults of <c>MaxLimits</c>: every core of this machine, 4096 MiB, 4096 processes.</summary>
    public static ContainerLimitsOptions Maximum() => new() { Cpus = Environment.ProcessorCount, MemoryMiB = 4096, Pids = 4096 };

    /// <summary>Adds to <paramref name="errors"/> every problem of the default and maximum limits, each naming its key.</summary>
    internal static void Check(List<string> errors, ContainerLimitsOptions? defaults, ContainerLimitsOptions? maximum)
    {
        const string Default = "MiniPaas:Runtime:DefaultLimits";
        const string Max = "MiniPaas:Runtime:MaxLimits";
        if (defaults is null || maximum is null)
        {
            errors.Add($"{Default} and {Max} must both be set.");
            return;
        }

        CheckOne(errors, Default, defaults);
        CheckOne(errors, Max, maximum);
        if (defaults.Cpus > maximum.Cpus)
        {
            errors.Add(Invariant($"{Default}:Cpus {defaults.Cpus} is above {Max}:Cpus {maximum.Cpus}."));
        }

        if (defaults.MemoryMiB > maximum.MemoryMiB)
        {
            errors.Add(Invariant($"{Default}:MemoryMiB {defaults.MemoryMiB} is above {Max}:MemoryMiB {maximum.MemoryMiB}."));
        }

        if (defaults.Pids > maximum.Pids)
        {
            errors.Add(Invariant($"{Default}:Pids {defaults.Pids} is above {Max}:Pids {maximum.Pids}."));
        }
    }

    private static void CheckOne(List<string> errors, string key, ContainerLimitsOptions limits)
    {
        if (double.IsNaN(limits.Cpus) || limits.Cpus < MinCpus)
        {
            errors.Add(Invariant($"{key}:Cpus {limits.Cpus} must be at least {MinCpus}."));
        }

        if (limits.MemoryMiB < MinMemoryMiB)
        {
            errors.Add(Invariant($"{key}:MemoryMiB {limits.MemoryMiB} must be at least {MinMemoryMiB}."));
        }

        if (limits.Pids < MinPids)
        {
            errors.Add(Invariant($"{key}:Pids {limits.Pids} must be at least {MinPids}."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
