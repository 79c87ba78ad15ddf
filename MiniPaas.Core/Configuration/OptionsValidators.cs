using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MiniPaas.Core.Configuration;

/// <summary>Registers the validators of every options section (run by <c>ValidateOnStart</c> before the host starts).</summary>
public static class OptionsValidatorRegistration
{
    public static IServiceCollection AddMiniPaasOptionsValidators(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MiniPaasOptions>, MiniPaasOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DockerOptions>, DockerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RuntimeOptions>, RuntimeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IngressOptions>, IngressOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BuilderOptions>, BuilderOptionsValidator>());
        return services;
    }
}

/// <summary>Checks <see cref="MiniPaasOptions"/> and reports every problem at once.</summary>
public sealed class MiniPaasOptionsValidator : IValidateOptions<MiniPaasOptions>
{
    public ValidateOptionsResult Validate(string? name, MiniPaasOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add("MiniPaas:DataDirectory must not be empty.");
        }

        return OptionsErrors.ToResult(errors);
    }
}

/// <summary>Checks <see cref="DockerOptions"/>: the endpoint must be a unix://, tcp:// or npipe:// URI.</summary>
public sealed class DockerOptionsValidator : IValidateOptions<DockerOptions>
{
    private static readonly string[] Schemes = ["unix", "tcp", "npipe"];

    public ValidateOptionsResult Validate(string? name, DockerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var uri) || !Schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"MiniPaas:Docker:Endpoint '{options.Endpoint}' must be a unix://, tcp:// or npipe:// URI.");
        }

        if (options.ProbeInterval <= TimeSpan.Zero)
        {
            errors.Add("MiniPaas:Docker:ProbeInterval must be positive.");
        }

        return OptionsErrors.ToResult(errors);
    }
}

/// <summary>Checks <see cref="RuntimeOptions"/>: network mode, port range, positive timeouts, default limits within the maximum.</summary>
public sealed class RuntimeOptionsValidator : IValidateOptions<RuntimeOptions>
{
    public ValidateOptionsResult Validate(string? name, RuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!string.Equals(options.NetworkMode, "bridge", StringComparison.OrdinalIgnoreCase) && !options.IsHostNetwork)
        {
            errors.Add($"MiniPaas:Runtime:NetworkMode '{options.NetworkMode}' must be 'bridge' or 'host'.");
        }

        if (string.IsNullOrWhiteSpace(options.BridgeNetwork))
        {
            errors.Add("MiniPaas:Runtime:BridgeNetwork must not be empty.");
        }

        OptionsErrors.RequirePort(errors, "MiniPaas:Runtime:ContainerPort", options.ContainerPort);
        OptionsErrors.RequirePositive(errors, "MiniPaas:Runtime:HealthTimeout", options.HealthTimeout);
        OptionsErrors.RequirePositive(errors, "MiniPaas:Runtime:ReconcileInterval", options.ReconcileInterval);
        if (options.LogMaxFiles < 1)
        {
            errors.Add("MiniPaas:Runtime:LogMaxFiles must be at least 1.");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(options.LogMaxSize ?? string.Empty, "^[1-9][0-9]*[kmg]$"))
        {
            errors.Add($"MiniPaas:Runtime:LogMaxSize '{options.LogMaxSize}' must be a size such as 10m, 500k or 1g.");
        }

        if (options.DrainDelay < TimeSpan.Zero)
        {
            errors.Add("MiniPaas:Runtime:DrainDelay must not be negative.");
        }

        if (options.KeepImagesPerProject < 1)
        {
            errors.Add("MiniPaas:Runtime:KeepImagesPerProject must be at least 1.");
        }

        ContainerLimitsOptions.Check(errors, options.DefaultLimits, options.MaxLimits);

        return OptionsErrors.ToResult(errors);
    }
}

/// <summary>Checks <see cref="IngressOptions"/>: mode, port and apps domain.</summary>
public sealed class IngressOptionsValidator : IValidateOptions<IngressOptions>
{
    public ValidateOptionsResult Validate(string? name, IngressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!string.Equals(options.Mode, "Yarp", StringComparison.OrdinalIgnoreCase) && !string.Equals(options.Mode, "Traefik", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"MiniPaas:Ingress:Mode '{options.Mode}' must be 'Yarp' or 'Traefik'.");
        }

        if (options.Port is { } port)
        {
            OptionsErrors.RequirePort(errors, "MiniPaas:Ingress:Port", port);
        }

        if (!IsValidDomain(options.AppsDomain))
        {
            errors.Add($"MiniPaas:Ingress:AppsDomain '{options.AppsDomain}' is not a valid domain name.");
        }

        return OptionsErrors.ToResult(errors);
    }

    // A DNS name: dot-separated labels of letters, digits and inner hyphens (apps become <subdomain>.<AppsDomain>).
    internal static bool IsValidDomain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain) || domain.Length > 253)
        {
            return false;
        }

        return domain.Split('.').All(label =>
            label.Length is > 0 and <= 63
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && label[0] != '-' && label[^1] != '-');
    }
}

/// <summary>Checks <see cref="BuilderOptions"/>: concurrency 1–32, positive CPU, memory and timeouts, workable clone and build-log caps.</summary>
public sealed class BuilderOptionsValidator : IValidateOptions<BuilderOptions>
{
    public ValidateOptionsResult Validate(string? name, BuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.MaxConcurrentBuilds is < 1 or > 32)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"MiniPaas:Builder:MaxConcurrentBuilds {options.MaxConcurrentBuilds} must be between 1 and 32."));
        }

        if (!(options.BuildCpus > 0))
        {
            errors.Add("MiniPaas:Builder:BuildCpus must be greater than 0.");
        }

        if (options.BuildMemoryMiB <= 0)
        {
            errors.Add("MiniPaas:Builder:BuildMemoryMiB must be greater than 0.");
        }

        OptionsErrors.RequirePositive(errors, "MiniPaas:Builder:BuildTimeout", options.BuildTimeout);
        if (options.MaxCheckoutFileBytes is < 1024 or > 256L * 1024 * 1024)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"MiniPaas:Builder:MaxCheckoutFileBytes {options.MaxCheckoutFileBytes} must be between 1024 and 268435456 (256 MB)."));
        }

        OptionsErrors.RequirePositive(errors, "MiniPaas:Builder:CloneTimeout", options.CloneTimeout);
        if (options.MaxCloneBytes < 1024 * 1024)
        {
            errors.Add("MiniPaas:Builder:MaxCloneBytes must be at least 1 MiB.");
        }

        // The same floor as runtime lines: the cut marker and a useful start of the line must fit.
        if (options.MaxBuildLogLineLength < 256)
        {
            errors.Add("MiniPaas:Builder:MaxBuildLogLineLength must be at least 256.");
        }

        if (options.MaxBuildLogLines < 100)
        {
            errors.Add("MiniPaas:Builder:MaxBuildLogLines must be at least 100.");
        }

        if (options.MaxBuildLogBytes < options.MaxBuildLogLineLength * 4L)
        {
            errors.Add("MiniPaas:Builder:MaxBuildLogBytes must hold at least four lines of MaxBuildLogLineLength.");
        }

        return OptionsErrors.ToResult(errors);
    }
}

internal static class OptionsErrors
{
    public static ValidateOptionsResult ToResult(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

    public static void RequirePort(List<string> errors, string key, int port)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key} {port} must be between 1 and 65535."));
        }
    }

    public static void RequirePositive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{key} must be positive.");
        }
    }
}
