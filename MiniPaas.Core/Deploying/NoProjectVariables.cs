namespace MiniPaas.Core.Deploying;

/// <summary>Used until a variables store is registered: containers get only PORT and the MINIPAAS_* metadata.</summary>
internal sealed class NoProjectVariables : IProjectEnvironment
{
    public Task<IReadOnlyDictionary<string, string>> GetVariablesAsync(long projectId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
}
