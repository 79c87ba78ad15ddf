namespace MiniPaas.Core.Deploying;

/// <summary>Values a project's containers get as environment variables (decrypted), besides PORT and MINIPAAS_*.</summary>
public interface IProjectEnvironment
{
    Task<IReadOnlyDictionary<string, string>> GetVariablesAsync(long projectId, CancellationToken ct = default);
}
