using MiniPaas.Core.Checkouts;

namespace MiniPaas.Core.Building;

/// <summary>What to build: the repository's Dockerfile, or a generated one added to the context under <see cref="DockerfileGenerator.GeneratedFileName"/>.</summary>
/// <param name="Stack">The detection, with its reasons.</param>
/// <param name="DockerfilePath">Dockerfile path relative to the context, to pass to <see cref="IImageBuilder"/>.</param>
/// <param name="GeneratedDockerfile">Text of the generated Dockerfile; null when the repository has its own.</param>
public sealed record BuildPlan(DetectedStack Stack, string DockerfilePath, string? GeneratedDockerfile)
{
    /// <summary>Files to add to the build context (the generated Dockerfile, if any).</summary>
    public IReadOnlyList<BuildContextFile> ExtraFiles =>
        GeneratedDockerfile is null ? [] : [new BuildContextFile(DockerfilePath, GeneratedDockerfile)];

    /// <summary>Warnings for the build log: checkout files skipped while detecting, submodules that are not fetched.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>
/// Detects the stack of a source folder and, when it has no Dockerfile, generates one. Refuses (with
/// <see cref="CheckoutFileRefusedException"/>, before anything is built) a Dockerfile or <c>.dockerignore</c> that is a link
/// out of the checkout, a special file or, for <c>.dockerignore</c>, too large to read.
/// </summary>
public sealed class BuildPlanner(StackDetector detector, DockerfileGenerator generator)
{
    /// <inheritdoc cref="StackDetector.Detect"/>
    /// <exception cref="CheckoutFileRefusedException">The Dockerfile or <c>.dockerignore</c> cannot be used safely.</exception>
    public BuildPlan Plan(string directory, string? dockerfilePath = null)
    {
        var stack = detector.Detect(directory, dockerfilePath);
        var files = new CheckoutFiles(directory, detector.MaxFileBytes);
        files.ReadRequiredText(".dockerignore", ".dockerignore");
        var plan = stack.HasOwnDockerfile
            ? new BuildPlan(stack, stack.DockerfilePath!, null)
            : new BuildPlan(stack, DockerfileGenerator.GeneratedFileName, generator.Generate(stack));
        var notes = stack.Notes.ToList();
        if (Submodules.AreDeclared(directory))
        {
            notes.Add(Submodules.Note);
        }

        return plan with { Notes = notes };
    }
}
