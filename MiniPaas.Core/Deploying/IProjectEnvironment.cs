namespace MiniPaas.Core.Deploying;

/// <summary>Values a project's containers get as environment variables (decrypted), besides PORT and MINIPAAS_*.</summary>
public interface IProjectEnvironment
{
    Task<IReadOnlyDictionary<string, string>> GetVariablesAsync(long projectId, CancellationToken ct = default);

    /// <summary>The variables the user marked as needed at build time, passed to the image build as build arguments (none by default).</summary>
    Task<IReadOnlyDictionary<string, string>> GetBuildArgumentsAsync(long projectId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>Looks at a deployment's checkout before the build (to suggest variables); returns lines for the build log. Never fails the deployment.</summary>
    Task<IReadOnlyList<string>> InspectCheckoutAsync(long projectId, string directory, string commitSha, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
