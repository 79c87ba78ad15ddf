using MiniPaas.Core.Variables;

namespace MiniPaas.Core.Logs;

/// <summary>The values a project's logs must never show (its environment variables' values).</summary>
public interface ISecretValues
{
    Task<IReadOnlyCollection<string>> GetAsync(long projectId, CancellationToken ct = default);
}

/// <summary>
/// Reads the project's variables through the Variables area: each value as stored and as the container sees it, with its
/// <c>${…}</c> references expanded (a URL composed from a password must be masked whole). Values a key ring cannot decrypt
/// are unknown and so not masked.
/// </summary>
internal sealed class ProjectVariableSecretValues(ProjectVariables variables) : ISecretValues
{
    public async Task<IReadOnlyCollection<string>> GetAsync(long projectId, CancellationToken ct = default)
    {
        var list = await variables.ListAsync(projectId, ct).ConfigureAwait(false);
        var stored = list.Where(v => v.CanDecrypt && v.Value is not null).ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal);
        var values = new HashSet<string>(stored.Values, StringComparer.Ordinal);
        try
        {
            values.UnionWith(VariableExpansion.Expand(stored).Values);
        }
        catch (VariableExpansionException)
        {
            // A cycle: such a project cannot deploy, so no container sees an expanded value; the stored ones stay masked.
        }

        return values;
    }
}
