using MiniPaas.Core.Logs;

namespace MiniPaas.Tests.Shared.Fakes;

/// <summary>Secret values per project given by the test, instead of reading encrypted variables.</summary>
public sealed class FixedSecretValues : ISecretValues
{
    private readonly Dictionary<long, string[]> _values = [];

    public void Set(long projectId, params string[] values) => _values[projectId] = values;

    public Task<IReadOnlyCollection<string>> GetAsync(long projectId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyCollection<string>>(_values.TryGetValue(projectId, out var values) ? values : []);
}
