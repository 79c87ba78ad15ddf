using MiniPaas.Core.Checkouts;

namespace MiniPaas.Core.Building.Detection;

/// <summary>The repository's own Dockerfile (the configured path, else <c>Dockerfile</c>), used as is.</summary>
internal sealed class DockerfileProbe : IStackProbe
{
    private readonly string? _configuredPath;
    private readonly string _path;

    public DockerfileProbe(string? configuredPath)
    {
        _configuredPath = configuredPath;
        _path = string.IsNullOrWhiteSpace(configuredPath) ? "Dockerfile" : configuredPath.Replace('\\', '/').TrimStart('/');
        if (_path.Split('/').Contains(".."))
        {
            throw new ArgumentException($"Dockerfile path '{configuredPath}' must stay inside the source folder.", nameof(configuredPath));
        }
    }

    public DetectedStack? Probe(SourceFolder folder)
    {
        // A Dockerfile that is a link out of the checkout fails the deployment rather than falling back to generation:
        // the repository asked for that file, and a silent fallback would build something else.
        var entry = folder.Inspect(_path);
        if (entry.Kind == CheckoutEntryKind.Refused)
        {
            throw new CheckoutFileRefusedException(entry, "Dockerfile");
        }

        if (entry.Kind != CheckoutEntryKind.File)
        {
            if (!string.IsNullOrWhiteSpace(_configuredPath) && !string.Equals(_path, "Dockerfile", StringComparison.Ordinal))
            {
                throw new StackNotDetectedException($"The project's Dockerfile path '{_configuredPath}' does not exist in the repository.");
            }

            return null;
        }

        return new DetectedStack(StackKeys.Dockerfile, null, null, null, null,
            [$"Found {_path}: the repository's own Dockerfile is used as is (no generation)."])
        {
            DockerfilePath = _path,
        };
    }
}
