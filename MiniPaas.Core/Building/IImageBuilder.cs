namespace MiniPaas.Core.Building;

/// <summary>One line of build output, in order.</summary>
/// <param name="CutCharacters">Characters of an overlong line that were not kept (the line's end); 0 for whole lines.</param>
public sealed record BuildOutputLine(string Text, bool IsError, long CutCharacters = 0);

/// <summary>Result of an image build. A failed build carries a reason a person understands (Docker's error line).</summary>
public sealed record ImageBuildResult(bool Succeeded, string ImageTag, string? FailureReason);

/// <summary>Builds an image from a folder (the build context), honouring <c>.dockerignore</c>.</summary>
public interface IImageBuilder
{
    /// <param name="contextDirectory">Folder sent as the build context.</param>
    /// <param name="dockerfilePath">Dockerfile path relative to the context.</param>
    /// <param name="imageTag">Tag such as <c>minipaas/app:42</c>.</param>
    /// <param name="labels">Labels put on the image.</param>
    /// <param name="output">Receives each output line synchronously, in order.</param>
    Task<ImageBuildResult> BuildAsync(
        string contextDirectory,
        string dockerfilePath,
        string imageTag,
        IReadOnlyDictionary<string, string> labels,
        IProgress<BuildOutputLine> output,
        CancellationToken ct = default);

    /// <summary>Builds with files added to the context that are not in the folder (e.g. a generated Dockerfile).</summary>
    /// <param name="extraFiles">Added to the context (replacing files of the same path); the folder is not modified.</param>
    Task<ImageBuildResult> BuildAsync(
        string contextDirectory,
        string dockerfilePath,
        string imageTag,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyList<BuildContextFile> extraFiles,
        IProgress<BuildOutputLine> output,
        CancellationToken ct = default) =>
        extraFiles is { Count: > 0 }
            ? throw new NotSupportedException($"{GetType().Name} cannot add files to the build context.")
            : BuildAsync(contextDirectory, dockerfilePath, imageTag, labels, output, ct);

    /// <summary>Builds with build arguments (<c>--build-arg</c>): a value reaches only an <c>ARG</c> of that name in the Dockerfile.</summary>
    /// <param name="buildArguments">Name → value; never through a shell.</param>
    Task<ImageBuildResult> BuildAsync(
        string contextDirectory,
        string dockerfilePath,
        string imageTag,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyList<BuildContextFile> extraFiles,
        IReadOnlyDictionary<string, string> buildArguments,
        IProgress<BuildOutputLine> output,
        CancellationToken ct = default) =>
        buildArguments is { Count: > 0 }
            ? throw new NotSupportedException($"{GetType().Name} cannot pass build arguments.")
            : BuildAsync(contextDirectory, dockerfilePath, imageTag, labels, extraFiles, output, ct);
}
