using MiniPaas.Core.Variables;

namespace MiniPaas.Core.Logs;

/// <summary>The values a project's logs must never show (its environment variables' values).</summary>
public interface ISecretValues
{
    Task<IReadOnlyCollection<string>> GetAsync(long projectId, CancellationToken ct = default);
}

/// <summary>Reads the project's variables through the Variables area; values a key ring cannot decrypt are unknown and so not masked.</summary>
internal sealed class ProjectVariableSecretValues(ProjectVariables variables) : ISecretValues
{
    public async Task<IReadOnlyCollection<string>> GetAsync(long projectId, CancellationToken ct = default)
    {
        var list = await variables.ListAsync(projectId, ct).ConfigureAwait(false);
        return [.. list.Where(v => v.CanDecrypt && v.Value is not null).Select(v => v.Value!)];
    }
}
