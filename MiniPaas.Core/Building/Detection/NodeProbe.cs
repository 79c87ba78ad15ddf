using System.Text.Json;

namespace MiniPaas.Core.Building.Detection;

/// <summary>Node: a <c>package.json</c>; Next.js, a start script, a Vite SPA (built, then served static) or a plain entry file.</summary>
internal sealed class NodeProbe : IStackProbe
{
    private static readonly string[] Scripts = ["server.js", "index.js", "app.js", "main.js", "server.mjs", "index.mjs"];

    public DetectedStack? Probe(SourceFolder folder)
    {
        if (!folder.Exists("package.json"))
        {
            return null;
        }

        var reasons = new List<string>();
        using var package = ParsePackageJson(folder);
        var root = package.RootElement;
        var scripts = Names(root, "scripts");
        var dependencies = Names(root, "dependencies").Concat(Names(root, "devDependencies")).ToHashSet(StringComparer.Ordinal);

        var (manager, lockfile, install) = folder switch
        {
            _ when folder.Exists("pnpm-lock.yaml") => ("pnpm", "pnpm-lock.yaml", "corepack enable && pnpm install --frozen-lockfile"),
            _ when folder.Exists("yarn.lock") => ("yarn", "yarn.lock", "yarn install --frozen-lockfile"),
            _ when folder.Exists("package-lock.json") => ("npm", "package-lock.json", "npm ci"),
            _ => ("npm", (string?)null, "npm install"),
        };
        reasons.Add(lockfile is null
            ? "Found package.json without a lockfile: a Node app, dependencies installed with npm install (add a lockfile for reproducible builds)."
            : $"Found package.json and {lockfile}: a Node app, dependencies installed with {manager} ({install}).");

        var manifests = new List<string> { "package.json" };
        if (lockfile is not null)
        {
            manifests.Add(lockfile);
        }

        var run = manager == "npm" ? "npm run" : manager == "yarn" ? "yarn" : "pnpm";
        var build = scripts.Contains("build") ? $"{run} build" : null;
        if (build is not null)
        {
            reasons.Add($"package.json has a build script: {build}.");
        }

        DetectedStack Node(string? framework, string? start) =>
            new(StackKeys.Node, manager, framework, build, start, reasons) { ManifestFiles = manifests, InstallCommand = install };

        if (dependencies.Contains("next"))
        {
            reasons.Add("Dependencies list next: a Next.js app started with next start -p $PORT.");
            build ??= $"{run} build";
            return Node("next", "node_modules/.bin/next start -p $PORT");
        }

        if (scripts.Contains("start"))
        {
            reasons.Add("package.json has a start script: npm start (it should listen on $PORT).");
            return Node(dependencies.Contains("vite") ? "vite" : null, "npm start");
        }

        if (dependencies.Contains("vite"))
        {
            if (build is null)
            {
                throw new StackNotDetectedException("Found a Vite app (vite dependency) without a build script to produce dist/.");
            }

            reasons.Add("Dependencies list vite and there is no start script: a static SPA, built then dist/ served by a small static server.");
            return Node("vite", null) with { StaticDirectory = "dist" };
        }

        var main = root.TryGetProperty("main", out var mainElement) && mainElement.ValueKind == JsonValueKind.String && folder.Exists(mainElement.GetString()!)
            ? mainElement.GetString()!
            : Scripts.FirstOrDefault(folder.Exists);
        if (main is null)
        {
            throw new StackNotDetectedException("Found package.json but no start script, no \"main\" and no server.js/index.js/app.js/main.js to run.");
        }

        reasons.Add($"No start script: running node {main} (it should listen on $PORT).");
        return Node(null, $"node {main}");
    }

    private static JsonDocument ParsePackageJson(SourceFolder folder)
    {
        try
        {
            return JsonDocument.Parse(folder.Read("package.json"), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new StackNotDetectedException($"package.json is not valid JSON: {e.Message}", e);
        }
    }

    private static HashSet<string> Names(JsonElement root, string property) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(property, out var element) && element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
            : [];
}
