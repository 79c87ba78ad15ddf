using MiniPaas.Core.Variables;

namespace MiniPaas.Core.Logs;

/// <summary>The values a project's logs must never show: those of its variables marked secret.</summary>
public interface ISecretValues
{
    Task<IReadOnlyCollection<string>> GetAsync(long projectId, CancellationToken ct = default);
}

/// <summary>
/// Reads the project's secret variables through the Variables area: each secret's value as stored and as the container sees
/// it, plus the expanded value of every variable that brings a secret in through <c>${…}</c> (a URL composed from a secret
/// password is masked whole, even when the variable holding the URL is not itself marked secret). Plain configuration
/// values are not masked (<c>LINES=20000</c> must not turn every "20000" in the logs into <c>***</c>). Values a key ring
/// cannot decrypt are unknown and so not masked.
/// </summary>
internal sealed class ProjectVariableSecretValues(ProjectVariables variables) : ISecretValues
{
    public async Task<IReadOnlyCollection<string>> GetAsync(long projectId, CancellationToken ct = default)
    {
        var list = await variables.ListAsync(projectId, ct).ConfigureAwait(false);
        var stored = list.Where(v => v.CanDecrypt && v.Value is not null).ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal);
        var secrets = list.Where(v => v.IsSecret).Select(v => v.Key).ToList();
        var carriers = Carriers(secrets, stored);
        var values = new HashSet<string>(secrets.Where(stored.ContainsKey).Select(k => stored[k]), StringComparer.Ordinal);
        try
        {
            var expanded = VariableExpansion.Expand(stored);
            values.UnionWith(carriers.Where(expanded.ContainsKey).Select(k => expanded[k]));
        }
        catch (VariableExpansionException)
        {
            // A cycle: such a project cannot deploy, so no container sees an expanded value; the stored ones stay masked.
        }

        return values;
    }

    // The secrets and every variable that refers to one, directly or through others.
    private static HashSet<string> Carriers(IEnumerable<string> secrets, IReadOnlyDictionary<string, string> stored)
    {
        var carriers = new HashSet<string>(secrets, StringComparer.Ordinal);
        bool grew;
        do
        {
            grew = false;
            foreach (var (key, value) in stored)
            {
                if (!carriers.Contains(key) && VariableExpansion.References(value, stored).Any(carriers.Contains))
                {
                    grew |= carriers.Add(key);
                }
            }
        }
        while (grew);

        return carriers;
    }
}
