namespace MiniPaas.Core.Building;

/// <summary>Keys of the stacks MiniPaas recognises; also the keys of <c>MiniPaas:Builder:BaseImages</c>.</summary>
public static class StackKeys
{
    public const string Dockerfile = "dockerfile";
    public const string Node = "node";
    public const string Python = "python";
    public const string Go = "go";
    public const string DotNet = "dotnet";
    public const string Ruby = "ruby";
    public const string Php = "php";
    public const string Static = "static";
}

/// <summary>
/// What <see cref="StackDetector"/> found in a source folder and how the app should be built and started.
/// <see cref="Reasons"/> lists the evidence, in the order it was considered, so a person can see why.
/// </summary>
/// <param name="Stack">One of <see cref="StackKeys"/>.</param>
/// <param name="PackageManager">npm, yarn, pnpm, pip, pipenv, poetry, bundler, composer, go, dotnet; null when none.</param>
/// <param name="Framework">next, vite, django, flask, fastapi, rails, rack, aspnet…; null when none.</param>
/// <param name="BuildCommand">Shell command run after the source is copied; null when nothing to build.</param>
/// <param name="StartCommand">Shell command that starts the app listening on <c>$PORT</c>; null for a Dockerfile or a static output.</param>
/// <param name="Reasons">What was found and why it led here.</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A technology stack, not a stack collection; the name is the domain's.")]
public sealed record DetectedStack(
    string Stack,
    string? PackageManager,
    string? Framework,
    string? BuildCommand,
    string? StartCommand,
    IReadOnlyList<string> Reasons)
{
    /// <summary>Path (relative to the folder, '/' separated) of the repository's own Dockerfile; set only when <see cref="Stack"/> is <see cref="StackKeys.Dockerfile"/>.</summary>
    public string? DockerfilePath { get; init; }

    /// <summary>Dependency files copied before the source so the install layer is cached (e.g. package.json + lockfile).</summary>
    public IReadOnlyList<string> ManifestFiles { get; init; } = [];

    /// <summary>Command installing dependencies from <see cref="ManifestFiles"/>; null when none.</summary>
    public string? InstallCommand { get; init; }

    /// <summary>True when the install needs the whole source (e.g. <c>pip install .</c> of a pyproject), so it runs after the source copy.</summary>
    public bool InstallNeedsSource { get; init; }

    /// <summary>Folder served as static files: the build output of a SPA (<c>dist</c>), the static site root (<c>.</c>) or the PHP document root.</summary>
    public string? StaticDirectory { get; init; }

    /// <summary>.NET project file to publish, or the Go package to build (<c>.</c> or <c>./cmd/x</c>).</summary>
    public string? ProjectPath { get; init; }

    /// <summary>Name of the published .NET assembly (without <c>.dll</c>).</summary>
    public string? AssemblyName { get; init; }

    /// <summary>Checkout files skipped while detecting (links out of the checkout, special or oversized files), one sentence each for the build log.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>True when the detection is a repository Dockerfile and nothing is generated.</summary>
    public bool HasOwnDockerfile => Stack == StackKeys.Dockerfile;
}

/// <summary>Thrown when a folder matches no known stack; the message lists everything that was looked for.</summary>
public sealed class StackNotDetectedException : Exception
{
    public StackNotDetectedException() { }
    public StackNotDetectedException(string message) : base(message) { }
    public StackNotDetectedException(string message, Exception innerException) : base(message, innerException) { }
}
