using MiniPaas.Core.Persistence;

namespace MiniPaas.Core.Deploying;

/// <summary>How to build a checkout: the context folder and Dockerfile to use, and what was generated.</summary>
/// <param name="ContextDirectory">Folder sent to the engine as build context (the project's root directory inside the checkout).</param>
/// <param name="DockerfilePath">Dockerfile path relative to the context.</param>
/// <param name="GeneratedDockerfile">The Dockerfile MiniPaas wrote, or null when the repo has its own.</param>
/// <param name="DetectedStack">Stack key (node, python...) or null when the repo's Dockerfile was used.</param>
public sealed record BuildPlan(string ContextDirectory, string DockerfilePath, string? GeneratedDockerfile, string? DetectedStack);

/// <summary>Decides how a checkout is built: the repo's Dockerfile when it has one, else a generated one.</summary>
public interface IBuildPlanner
{
    Task<BuildPlan> PlanAsync(string checkoutDirectory, ProjectRecord project, IProgress<string> log, CancellationToken ct = default);
}

/// <summary>Values a project's containers get as environment variables (decrypted), besides PORT and MINIPAAS_*.</summary>
public interface IProjectEnvironment
{
    Task<IReadOnlyDictionary<string, string>> GetVariablesAsync(long projectId, CancellationToken ct = default);
}
