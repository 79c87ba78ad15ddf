using Microsoft.Extensions.Logging;
using MiniPaas.Core.Deploying;

namespace MiniPaas.Core.Variables;

/// <summary>
/// What the deploy pipeline gets from the variables: the decrypted values with <c>${…}</c> references expanded for the
/// container's <c>Env</c>, the subset marked "needed at build time" as build arguments, and a scan of each deployment's
/// checkout for suggestions.
/// </summary>
internal sealed class VariablesEnvironment(ProjectVariables variables, ProjectSuggestions suggestions, ILogger<VariablesEnvironment> logger) : IProjectEnvironment
{
    public async Task<IReadOnlyDictionary<string, string>> GetVariablesAsync(long projectId, CancellationToken ct = default) =>
        (await ExpandedAsync(projectId, ct).ConfigureAwait(false)).Values;

    public async Task<IReadOnlyDictionary<string, string>> GetBuildArgumentsAsync(long projectId, CancellationToken ct = default)
    {
        var (list, values) = await ExpandedAsync(projectId, ct).ConfigureAwait(false);
        return list.Where(v => v.IsBuildTime).ToDictionary(v => v.Key, v => values[v.Key], StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<string>> InspectCheckoutAsync(long projectId, string directory, string commitSha, CancellationToken ct = default)
    {
        try
        {
            var scan = await suggestions.ScanCheckoutAsync(projectId, directory, commitSha, ProjectSuggestions.DeployTrigger, ct).ConfigureAwait(false);
            var notes = new List<string>();
            if (scan.Skipped.Count > 0)
            {
                notes.AddRange(scan.Skipped.Select(n => $"Variables scan: {n.Message}"));
            }

            if (scan.Missing.Count > 0)
            {
                notes.Add($"Variables: the code reads {string.Join(", ", scan.Missing.Select(m => $"{m.Key} ({m.Sources[0].File}:{m.Sources[0].Line})"))} without a default, and the project does not set them.");
            }

            if (scan.Suggestions.Count > 0)
            {
                notes.Add($"Variables: {scan.Suggestions.Count} suggestion(s) on the project's Variables page.");
            }

            return notes;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            // Suggestions are advice: a scan that fails never fails the deployment.
            logger.ScanFailed(ex, projectId, ProjectSuggestions.DeployTrigger);
            return [];
        }
    }

    private async Task<(IReadOnlyList<ProjectVariable> List, IReadOnlyDictionary<string, string> Values)> ExpandedAsync(long projectId, CancellationToken ct)
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
            return (list, VariableExpansion.Expand(list.ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal)));
        }
        catch (VariableExpansionException ex)
        {
            throw new DeploymentException(ex.Message);
        }
    }
}
