using MiniPaas.Core.Projects;

namespace MiniPaas.Tests.Shared.Fakes;

/// <summary>Projects list served from memory; <see cref="Failure"/> makes it throw, <see cref="Gate"/> holds it back.</summary>
public sealed class FakeProjectDirectory : IProjectDirectory
{
    public List<ProjectSummary> Projects { get; } = [];

    public Exception? Failure { get; set; }

    /// <summary>When set, <see cref="ListAsync"/> waits for it (to observe the loading state).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public async Task<IReadOnlyList<ProjectSummary>> ListAsync(CancellationToken ct = default)
    {
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(ct);
        }

        return Failure is { } failure ? throw failure : Projects.ToList();
    }
}
