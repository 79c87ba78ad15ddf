using MiniPaas.Core.Deploying;

namespace MiniPaas.Core.Variables;

/// <summary>What the deploy pipeline injects into a container's <c>Env</c>: the project's decrypted variables with <c>${…}</c> references expanded.</summary>
internal sealed class VariablesEnvironment(ProjectVariables variables) : IProjectEnvironment
{
    public async Task<IReadOnlyDictionary<string, string>> GetVariablesAsync(long projectId, CancellationToken ct = default)
    {
        var list = await variables.ListAsync(projectId, ct).ConfigureAwait(false);
        var undecryptable = list.Where(v => !v.CanDecrypt).Select(v => v.Key).ToList();
        if (undecryptable.Count > 0)
        {
            // Starting without a variable the app expects fails later and more obscurely; say it now.
            throw new DeploymentException(
                $"Variable(s) {string.Join(", ", undecryptable)} cannot be decrypted (the key ring in table data_protection_keys was lost or replaced, or the row was altered); set them again.");
        }

        try
        {
            return VariableExpansion.Expand(list.ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal));
        }
        catch (VariableExpansionException ex)
        {
            throw new DeploymentException(ex.Message);
        }
    }
}
