using System.Globalization;
using Microsoft.Extensions.Options;

namespace MiniPaas.Web.Hosting;

/// <summary>Settings of the dashboard itself (<c>MiniPaas:Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "MiniPaas:Dashboard";

    /// <summary>
    /// Host names the dashboard answers besides <c>localhost</c>, <c>127.0.0.1</c> and <c>[::1]</c> (always allowed), the host
    /// of <c>MiniPaas:GitHub:PublicUrl</c> and the named hosts of the dashboard's own URLs (<c>--urls</c>), which are added
    /// by themselves. Any other <c>Host</c> header is refused with 421 (the guard against DNS rebinding). Names only: no
    /// scheme, port or path; IPv6 addresses in brackets. Default: none.
    /// </summary>
    public List<string> Hosts { get; set; } = [];
}

/// <summary>Checks <see cref="DashboardOptions"/>: every host a bare name or address, reporting each bad entry.</summary>
public sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        for (var i = 0; i < options.Hosts.Count; i++)
        {
            if (!DashboardHosts.IsHostName(options.Hosts[i]))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture,
                    $"MiniPaas:Dashboard:Hosts:{i} ('{options.Hosts[i]}') must be a host name or address only, e.g. paas.example.com or [::1] (no scheme, port, path or wildcard)."));
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
