namespace MiniPaas.Core.Building.Detection;

/// <summary>Go: a <c>go.mod</c>, compiled to a static binary; the main package at the root, else the first command under <c>cmd/</c>.</summary>
internal sealed class GoProbe : IStackProbe
{
    public DetectedStack? Probe(SourceFolder folder)
    {
        if (!folder.Exists("go.mod"))
        {
            return null;
        }

        var reasons = new List<string> { "Found go.mod: a Go module, compiled to a static binary (CGO_ENABLED=0)." };
        var manifests = new List<string> { "go.mod" };
        if (folder.Exists("go.sum"))
        {
            manifests.Add("go.sum");
            reasons.Add("Found go.sum: modules are downloaded before the source is copied (cached layer).");
        }

        // A main package at the root wins; otherwise a single command under cmd/.
        var package = ".";
        if (!folder.FindFiles("*.go", maxDepth: 0).Any(f => folder.TryRead(f)?.Contains("package main", StringComparison.Ordinal) == true))
        {
            var commands = folder.SubDirectories("cmd");
            if (commands.Count > 0)
            {
                package = "./cmd/" + commands[0];
                reasons.Add($"No main package at the root; building {package}.");
            }
        }

        return new DetectedStack(StackKeys.Go, "go", null, $"go build -trimpath -ldflags=\"-s -w\" -o /out/server {package}", "/app/server", reasons)
        {
            ManifestFiles = manifests,
            InstallCommand = "go mod download",
            ProjectPath = package,
        };
    }
}
