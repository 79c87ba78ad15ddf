using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace MiniPaas.Core.Ingress.Traefik;

/// <summary>Settings of the Traefik ingress mode (<c>MiniPaas:Ingress:Traefik</c>), used when <c>MiniPaas:Ingress:Mode</c> is <c>Traefik</c>.</summary>
public sealed partial class TraefikOptions
{
    public const string SectionName = "MiniPaas:Ingress:Traefik";

    /// <summary>Traefik entry point the app routers attach to (see <c>traefik/traefik.yml</c>). Default: <c>web</c>.</summary>
    public string EntryPoint { get; set; } = "web";

    /// <summary>
    /// Docker network Traefik uses to reach app containers (<c>traefik.docker.network</c>). Default: empty, meaning
    /// <c>MiniPaas:Runtime:BridgeNetwork</c> in bridge mode and none on the host network.
    /// </summary>
    public string? Network { get; set; }

    /// <summary>Traefik's JSON access log that MiniPaas tails for request analytics. Default: <c>/var/log/traefik/access.json</c>.</summary>
    public string AccessLogPath { get; set; } = "/var/log/traefik/access.json";

    /// <summary>How often the access log is checked for new lines and rotation. Default: 1 s.</summary>
    public TimeSpan AccessLogPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    internal static partial Regex EntryPointPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    internal static partial Regex NetworkPattern();
}

/// <summary>Checks <see cref="TraefikOptions"/>: names Traefik accepts, an absolute log path, a positive poll interval.</summary>
public sealed class TraefikOptionsValidator : IValidateOptions<TraefikOptions>
{
    public ValidateOptionsResult Validate(string? name, TraefikOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (!TraefikOptions.EntryPointPattern().IsMatch(options.EntryPoint ?? string.Empty))
        {
            errors.Add($"{TraefikOptions.SectionName}:EntryPoint '{options.EntryPoint}' must be letters, digits, '-' or '_' (at most 64).");
        }

        if (!string.IsNullOrEmpty(options.Network) && !TraefikOptions.NetworkPattern().IsMatch(options.Network))
        {
            errors.Add($"{TraefikOptions.SectionName}:Network '{options.Network}' is not a valid Docker network name.");
        }

        if (string.IsNullOrWhiteSpace(options.AccessLogPath) || !Path.IsPathFullyQualified(options.AccessLogPath))
        {
            errors.Add($"{TraefikOptions.SectionName}:AccessLogPath '{options.AccessLogPath}' must be an absolute path.");
        }

        if (options.AccessLogPollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{TraefikOptions.SectionName}:AccessLogPollInterval must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
