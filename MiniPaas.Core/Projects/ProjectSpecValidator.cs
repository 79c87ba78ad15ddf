using System.Globalization;
using MiniPaas.Core.Configuration;
using MiniPaas.Core.Git;

namespace MiniPaas.Core.Projects;

/// <summary>
/// Checks every field of a <see cref="ProjectSpec"/> and reports all problems at once so the form can show each at its field.
/// Uniqueness needs the database: pass <c>isSubdomainTaken</c> / <c>isNameTaken</c> (the project service does), or check it yourself.
/// </summary>
public static class ProjectSpecValidator
{
    public const int MaxNameLength = 64;
    public const double MinCpu = ContainerLimitsOptions.MinCpus;
    public const long MinMemoryMiB = ContainerLimitsOptions.MinMemoryMiB;
    public const int MaxHealthCheckPathLength = 512;

    /// <param name="isSubdomainTaken">Returns true when another project already uses the (normalised) subdomain.</param>
    /// <param name="isNameTaken">Returns true when another project already uses the (trimmed) name.</param>
    /// <param name="processorCount">Upper bound for the CPU limit; default <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="dashboardHost">The dashboard's host; its first label cannot be a subdomain.</param>
    /// <param name="maxLimits">The most a project may set (<c>MiniPaas:Runtime:MaxLimits</c>); null = only the machine bounds CPU.</param>
    public static ProjectSpecValidation Validate(
        ProjectSpec spec,
        Func<string, bool>? isSubdomainTaken = null,
        Func<string, bool>? isNameTaken = null,
        int? processorCount = null,
        string? dashboardHost = null,
        ContainerLimitsOptions? maxLimits = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);

        var name = spec.Name?.Trim() ?? "";
        if (CheckName(name) is { } nameError)
        {
            errors[nameof(ProjectSpec.Name)] = nameError;
        }
        else if (isNameTaken?.Invoke(name) == true)
        {
            errors[nameof(ProjectSpec.Name)] = $"A project named '{name}' already exists.";
        }

        var subdomain = spec.Subdomain?.Trim() ?? "";
        if (SubdomainRules.Check(subdomain, dashboardHost) is { } subdomainError)
        {
            errors[nameof(ProjectSpec.Subdomain)] = subdomainError;
        }
        else if (isSubdomainTaken?.Invoke(subdomain) == true)
        {
            errors[nameof(ProjectSpec.Subdomain)] = $"The subdomain '{subdomain}' is already used by another project.";
        }

        if (!GitSource.TryParse(spec.SourceUrl, out var source, out var sourceError))
        {
            errors[nameof(ProjectSpec.SourceUrl)] = sourceError;
        }

        if (!GitRefValidator.TryValidateBranch(spec.Branch, out var branch, out var branchError))
        {
            errors[nameof(ProjectSpec.Branch)] = branchError;
        }

        if (!RootDirectoryRules.TryNormalize(spec.RootDirectory, out var root, out var rootError))
        {
            errors[nameof(ProjectSpec.RootDirectory)] = rootError;
        }

        if (!RootDirectoryRules.TryNormalize(spec.DockerfilePath, out var dockerfile, out var dockerfileError))
        {
            errors[nameof(ProjectSpec.DockerfilePath)] = dockerfileError;
        }

        if (spec.PortOverride is { } port && port is < 1 or > 65535)
        {
            errors[nameof(ProjectSpec.PortOverride)] = "The port must be between 1 and 65535.";
        }

        var healthCheckPath = string.IsNullOrWhiteSpace(spec.HealthCheckPath) ? null : spec.HealthCheckPath.Trim();
        if (healthCheckPath is not null && CheckHealthCheckPath(healthCheckPath) is { } healthError)
        {
            errors[nameof(ProjectSpec.HealthCheckPath)] = healthError;
        }

        if (CheckCpu(spec.CpuLimit, processorCount ?? Environment.ProcessorCount, maxLimits) is { } cpuError)
        {
            errors[nameof(ProjectSpec.CpuLimit)] = cpuError;
        }

        if (CheckMemory(spec.MemoryLimitMiB, maxLimits) is { } memoryError)
        {
            errors[nameof(ProjectSpec.MemoryLimitMiB)] = memoryError;
        }

        if (errors.Count > 0)
        {
            return new ProjectSpecValidation(errors, null);
        }

        var normalized = spec with
        {
            Name = name,
            Subdomain = subdomain,
            SourceUrl = source!.Value,
            Branch = branch!,
            RootDirectory = root!,
            DockerfilePath = string.IsNullOrEmpty(dockerfile) ? null : dockerfile,
            HealthCheckPath = healthCheckPath,
        };
        return new ProjectSpecValidation(errors, normalized);
    }

    private static string? CheckCpu(double? cpu, int cores, ContainerLimitsOptions? max)
    {
        if (cpu is not { } value)
        {
            return null;
        }

        // The engine refuses more CPUs than the machine has; the configured maximum may be lower still.
        var (upper, why) = max is not null && max.Cpus < cores
            ? (max.Cpus, "the maximum MiniPaas allows, MiniPaas:Runtime:MaxLimits:Cpus")
            : (cores, "the cores of this machine");
        return double.IsNaN(value) || value < MinCpu || value > upper
            ? string.Create(CultureInfo.InvariantCulture, $"The CPU limit must be between {MinCpu} and {upper} ({why}).")
            : null;
    }

    private static string? CheckMemory(long? memory, ContainerLimitsOptions? max)
    {
        if (memory is not { } value)
        {
            return null;
        }

        if (value < MinMemoryMiB)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The memory limit must be at least {MinMemoryMiB} MiB.");
        }

        return max is not null && value > max.MemoryMiB
            ? string.Create(CultureInfo.InvariantCulture, $"The memory limit can be at most {max.MemoryMiB} MiB (the maximum MiniPaas allows, MiniPaas:Runtime:MaxLimits:MemoryMiB).")
            : null;
    }

    private static string? CheckName(string name)
    {
        if (name.Length == 0)
        {
            return "Enter a project name.";
        }

        if (name.Length > MaxNameLength)
        {
            return $"The name is at most {MaxNameLength} characters.";
        }

        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '_' or '.')
            ? null
            : "Use letters, digits, spaces, '-', '_' and '.' only.";
    }

    private static string? CheckHealthCheckPath(string path)
    {
        if (path[0] != '/')
        {
            return "The health check path must start with '/' (like /health).";
        }

        if (path.Length > MaxHealthCheckPathLength)
        {
            return $"The health check path is at most {MaxHealthCheckPathLength} characters.";
        }

        if (path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "The health check path cannot contain spaces or control characters.";
        }

        // "//host" would be read as a network-path reference to another host.
        return path.StartsWith("//", StringComparison.Ordinal) ? "The health check path cannot start with '//'." : null;
    }
}
