using System.Collections.Frozen;
using System.Text;

namespace MiniPaas.Core.Projects;

/// <summary>
/// A project's subdomain is one DNS label: lowercase letters, digits and hyphens, 1–63 characters, no hyphen at either end,
/// and not one of the names MiniPaas keeps for itself.
/// </summary>
public static class SubdomainRules
{
    public const int MaxLength = 63;

    /// <summary>Names that would shadow the dashboard, the proxy or well-known service hosts.</summary>
    public static FrozenSet<string> Reserved { get; } = new[]
    {
        "www", "api", "admin", "dashboard", "minipaas", "localhost", "traefik", "app", "apps",
        "auth", "login", "oauth", "webhook", "webhooks", "status", "health", "metrics", "static", "assets",
        "mail", "smtp", "ftp", "git", "docker", "registry", "proxy", "ingress", "root", "system",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The reason <paramref name="subdomain"/> is refused, or null when it is valid.</summary>
    /// <param name="dashboardHost">The dashboard's host name (e.g. <c>panel.localhost</c>); its first label is reserved too.</param>
    public static string? Check(string? subdomain, string? dashboardHost = null)
    {
        if (string.IsNullOrEmpty(subdomain))
        {
            return "Enter a subdomain.";
        }

        if (subdomain.Length > MaxLength)
        {
            return $"A subdomain is at most {MaxLength} characters.";
        }

        if (subdomain.Any(char.IsAsciiLetterUpper))
        {
            return "Use lowercase letters only.";
        }

        if (!subdomain.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            return "Use only lowercase letters (a-z), digits and '-'.";
        }

        if (subdomain[0] == '-' || subdomain[^1] == '-')
        {
            return "A subdomain cannot start or end with '-'.";
        }

        // Punycode labels could render as look-alikes of other names.
        if (subdomain.StartsWith("xn--", StringComparison.Ordinal))
        {
            return "A subdomain cannot start with 'xn--'.";
        }

        if (Reserved.Contains(subdomain) || string.Equals(subdomain, FirstLabel(dashboardHost), StringComparison.OrdinalIgnoreCase))
        {
            return $"'{subdomain}' is reserved by MiniPaas; choose another name.";
        }

        return null;
    }

    /// <summary>Turns a project name into a valid subdomain: lowercase, other characters become '-', at most 63 characters.</summary>
    public static string Suggest(string? name, string? dashboardHost = null)
    {
        var builder = new StringBuilder(Math.Min(name?.Length ?? 0, 128));
        foreach (var c in (name ?? "").Trim().ToLowerInvariant())
        {
            var ok = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
            if (ok)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var suggestion = builder.ToString().Trim('-');
        if (suggestion.Length > MaxLength)
        {
            suggestion = suggestion[..MaxLength].TrimEnd('-');
        }

        if (suggestion.StartsWith("xn--", StringComparison.Ordinal))
        {
            suggestion = suggestion[4..];
        }

        if (suggestion.Length == 0)
        {
            return "project";
        }

        if (Check(suggestion, dashboardHost) is not null)
        {
            suggestion = suggestion[..Math.Min(suggestion.Length, MaxLength - 4)].TrimEnd('-') + "-app";
        }

        return suggestion;
    }

    private static string? FirstLabel(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var withoutPort = host.Split(':')[0];
        return withoutPort.Split('.')[0];
    }
}
