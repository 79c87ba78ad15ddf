using System.Text.RegularExpressions;

namespace MiniPaas.Core.Building.Detection;

/// <summary>.NET: a <c>*.csproj</c>/<c>*.fsproj</c> (a solution alone is not enough), published with <c>dotnet publish</c>.</summary>
internal sealed partial class DotNetProbe : IStackProbe
{
    public DetectedStack? Probe(SourceFolder folder)
    {
        var projects = folder.FindFiles("*.csproj", maxDepth: 3).Concat(folder.FindFiles("*.fsproj", maxDepth: 3)).ToList();
        var solutions = folder.FindFiles("*.sln", maxDepth: 1).Concat(folder.FindFiles("*.slnx", maxDepth: 1)).ToList();
        if (projects.Count == 0)
        {
            return solutions.Count == 0 ? null : throw new StackNotDetectedException($"Found {solutions[0]} but no project file (*.csproj) next to it or below.");
        }

        var reasons = new List<string>();
        if (solutions.Count > 0)
        {
            reasons.Add($"Found solution {solutions[0]}.");
        }

        // The app is the project that is a web app; otherwise the shallowest non-test project.
        var ordered = projects
            .Where(p => !p.Contains("test", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Count(c => c == '/'))
            .ThenBy(p => p, StringComparer.Ordinal)
            .ToList();
        if (ordered.Count == 0)
        {
            ordered = projects;
        }

        var web = ordered.FirstOrDefault(p => folder.TryRead(p)?.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase) == true);
        var project = web ?? ordered[0];
        var text = folder.TryRead(project) ?? string.Empty;
        var assemblyMatch = AssemblyNameRegex().Match(text);
        var assembly = assemblyMatch.Success ? assemblyMatch.Groups[1].Value.Trim() : Path.GetFileNameWithoutExtension(project);
        reasons.Add(web is not null
            ? $"Found {project} using Microsoft.NET.Sdk.Web: an ASP.NET Core app, published with dotnet publish."
            : $"Found {project}: a .NET app, published with dotnet publish.");
        reasons.Add($"Runs dotnet {assembly}.dll listening on $PORT through ASPNETCORE_URLS.");
        return new DetectedStack(StackKeys.DotNet, "dotnet", web is null ? null : "aspnet", null,
                $"ASPNETCORE_URLS=http://+:$PORT exec dotnet {assembly}.dll", reasons)
        {
            ManifestFiles = projects,
            ProjectPath = project,
            AssemblyName = assembly,
        };
    }

    [GeneratedRegex(@"<AssemblyName>\s*([^<]+)</AssemblyName>", RegexOptions.CultureInvariant)]
    private static partial Regex AssemblyNameRegex();
}
