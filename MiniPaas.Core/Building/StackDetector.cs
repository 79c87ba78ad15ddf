using Microsoft.Extensions.Options;
using MiniPaas.Core.Building.Detection;
using MiniPaas.Core.Checkouts;
using MiniPaas.Core.Configuration;

namespace MiniPaas.Core.Building;

/// <summary>
/// Works out how to build and start the app in a folder, reading only the file system.
/// </summary>
/// <remarks>
/// Priority when several signals exist (first match wins):
/// 1. a Dockerfile (the configured path, else <c>Dockerfile</c>) — it is used as is;
/// 2. .NET (<c>*.csproj</c>/<c>*.sln</c>), 3. Go (<c>go.mod</c>), 4. Ruby (<c>Gemfile</c>), 5. Python (<c>requirements.txt</c>, <c>pyproject.toml</c>,
/// <c>Pipfile</c>, <c>manage.py</c>), 6. PHP with <c>composer.json</c>, 7. Node (<c>package.json</c>), 8. PHP with only <c>index.php</c>,
/// 9. static (<c>index.html</c>).
/// Server-side language manifests beat <c>package.json</c> because Rails, Django, Laravel and ASP.NET apps often carry a
/// package.json only to bundle front-end assets; a bare <c>index.html</c> comes last because almost every stack may ship one.
/// Files are read through <see cref="CheckoutFiles"/>: a probe file that is a link out of the checkout, a special file or too
/// large is skipped (detection goes on) and listed in <see cref="DetectedStack.Notes"/>.
/// </remarks>
/// <param name="options">Gives <see cref="BuilderOptions.MaxCheckoutFileBytes"/>; null uses the default.</param>
public sealed class StackDetector(IOptions<BuilderOptions>? options = null)
{
    private static readonly IStackProbe DotNet = new DotNetProbe();
    private static readonly IStackProbe Go = new GoProbe();
    private static readonly IStackProbe Ruby = new RubyProbe();
    private static readonly IStackProbe Python = new PythonProbe();
    private static readonly IStackProbe PhpWithComposer = new PhpProbe(requireComposer: true);
    private static readonly IStackProbe Node = new NodeProbe();
    private static readonly IStackProbe PhpWithoutComposer = new PhpProbe(requireComposer: false);
    private static readonly IStackProbe StaticSite = new StaticSiteProbe();

    private static readonly string[] LookedFor =
    [
        "Dockerfile", "*.csproj / *.sln (.NET)", "go.mod (Go)", "Gemfile (Ruby)",
        "requirements.txt / pyproject.toml / Pipfile / manage.py (Python)", "composer.json / index.php (PHP)",
        "package.json (Node)", "index.html (static site)",
    ];

    /// <summary>Detects the stack of <paramref name="directory"/>.</summary>
    /// <param name="directory">The source folder (the project's root directory inside the clone).</param>
    /// <param name="dockerfilePath">The project's configured Dockerfile path relative to the folder; null means <c>Dockerfile</c>.</param>
    /// <exception cref="StackNotDetectedException">Nothing known was found; the message lists what was looked for.</exception>
    public DetectedStack Detect(string directory, string? dockerfilePath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Source folder '{directory}' does not exist.");
        }

        var folder = new SourceFolder(new CheckoutFiles(directory, MaxFileBytes));
        DetectedStack? stack;
        try
        {
            stack = Probes(dockerfilePath).Select(probe => probe.Probe(folder)).FirstOrDefault(stack => stack is not null);
        }
        catch (StackNotDetectedException ex) when (folder.Notes.Count > 0)
        {
            throw new StackNotDetectedException(WithNotes(ex.Message, folder.Notes), ex);
        }

        return stack is not null
            ? stack with { Notes = folder.Notes.Select(n => n.Message).ToList() }
            : throw new StackNotDetectedException(WithNotes(
                $"Could not tell how to build the app in '{directory}'. Looked for: {string.Join(", ", LookedFor)}. " +
                "Add a Dockerfile to the repository, or set the project's root directory to the folder holding the app.", folder.Notes));
    }

    /// <summary>Largest checkout file read (<see cref="BuilderOptions.MaxCheckoutFileBytes"/>).</summary>
    public long MaxFileBytes { get; } = options?.Value.MaxCheckoutFileBytes ?? CheckoutFiles.DefaultMaxFileBytes;

    private static string WithNotes(string message, IReadOnlyList<CheckoutNote> notes)
    {
        var unsaid = notes.Where(n => !message.Contains(n.Message, StringComparison.Ordinal)).Select(n => n.Message).ToList();
        return unsaid.Count == 0 ? message : message + " " + string.Join(" ", unsaid);
    }

    // The order is the priority in the remarks above; Select is lazy, so later probes never run once one matched.
    private static IEnumerable<IStackProbe> Probes(string? dockerfilePath) =>
    [
        new DockerfileProbe(dockerfilePath), DotNet, Go, Ruby, Python, PhpWithComposer, Node, PhpWithoutComposer, StaticSite,
    ];
}
