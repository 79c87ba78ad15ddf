using System.Text.Json;
using System.Text.RegularExpressions;

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
/// </remarks>
public sealed partial class StackDetector
{
    private static readonly string[] LookedFor =
    [
        "Dockerfile", "*.csproj / *.sln (.NET)", "go.mod (Go)", "Gemfile (Ruby)",
        "requirements.txt / pyproject.toml / Pipfile / manage.py (Python)", "composer.json / index.php (PHP)",
        "package.json (Node)", "index.html (static site)",
    ];

    private static readonly string[] RubyScripts = ["app.rb", "main.rb", "server.rb"];
    private static readonly string[] PythonModules = ["main", "app", "server", "application", "wsgi", "asgi"];
    private static readonly string[] PythonScripts = ["main.py", "app.py", "server.py"];
    private static readonly string[] NodeScripts = ["server.js", "index.js", "app.js", "main.js", "server.mjs", "index.mjs"];

    /// <summary>Detects the stack of <paramref name="directory"/>.</summary>
    /// <param name="directory">The source folder (the project's root directory inside the clone).</param>
    /// <param name="dockerfilePath">The project's configured Dockerfile path relative to the folder; null means <c>Dockerfile</c>.</param>
    /// <exception cref="StackNotDetectedException">Nothing known was found; the message lists what was looked for.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "An instance so it can be injected and replaced.")]
    public DetectedStack Detect(string directory, string? dockerfilePath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Source folder '{directory}' does not exist.");
        }

        var folder = new SourceFolder(directory);
        return DetectDockerfile(folder, dockerfilePath)
            ?? DetectDotNet(folder)
            ?? DetectGo(folder)
            ?? DetectRuby(folder)
            ?? DetectPython(folder)
            ?? DetectPhp(folder, requireComposer: true)
            ?? DetectNode(folder)
            ?? DetectPhp(folder, requireComposer: false)
            ?? DetectStatic(folder)
            ?? throw new StackNotDetectedException(
                $"Could not tell how to build the app in '{directory}'. Looked for: {string.Join(", ", LookedFor)}. " +
                "Add a Dockerfile to the repository, or set the project's root directory to the folder holding the app.");
    }

    private static DetectedStack? DetectDockerfile(SourceFolder folder, string? configuredPath)
    {
        var path = string.IsNullOrWhiteSpace(configuredPath) ? "Dockerfile" : configuredPath.Replace('\\', '/').TrimStart('/');
        if (path.Split('/').Contains(".."))
        {
            throw new ArgumentException($"Dockerfile path '{configuredPath}' must stay inside the source folder.", nameof(configuredPath));
        }

        if (!folder.Exists(path))
        {
            if (!string.IsNullOrWhiteSpace(configuredPath) && !string.Equals(path, "Dockerfile", StringComparison.Ordinal))
            {
                throw new StackNotDetectedException($"The project's Dockerfile path '{configuredPath}' does not exist in the repository.");
            }

            return null;
        }

        return new DetectedStack(StackKeys.Dockerfile, null, null, null, null,
            [$"Found {path}: the repository's own Dockerfile is used as is (no generation)."])
        {
            DockerfilePath = path,
        };
    }

    private static DetectedStack? DetectDotNet(SourceFolder folder)
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

        var web = ordered.FirstOrDefault(p => folder.Read(p).Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase));
        var project = web ?? ordered[0];
        var text = folder.Read(project);
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

    private static DetectedStack? DetectGo(SourceFolder folder)
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
        if (!folder.FindFiles("*.go", maxDepth: 0).Any(f => folder.Read(f).Contains("package main", StringComparison.Ordinal)))
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

    private static DetectedStack? DetectRuby(SourceFolder folder)
    {
        if (!folder.Exists("Gemfile"))
        {
            return null;
        }

        var gemfile = folder.Read("Gemfile");
        var reasons = new List<string> { "Found Gemfile: a Ruby app, gems installed with bundler." };
        var manifests = new List<string> { "Gemfile" };
        if (folder.Exists("Gemfile.lock"))
        {
            manifests.Add("Gemfile.lock");
            reasons.Add("Found Gemfile.lock: installed frozen to the lockfile.");
        }

        const string install = "bundle install";
        if (GemRegex("rails").IsMatch(gemfile) || folder.Exists("config/application.rb"))
        {
            reasons.Add("Gemfile lists rails (or config/application.rb exists): Rails server bound to 0.0.0.0:$PORT.");
            return new DetectedStack(StackKeys.Ruby, "bundler", "rails",
                folder.Exists("app/assets") || folder.Exists("app/javascript") ? "SECRET_KEY_BASE_DUMMY=1 bundle exec rails assets:precompile" : null,
                "bundle exec rails server -b 0.0.0.0 -p $PORT", reasons)
            {
                ManifestFiles = manifests,
                InstallCommand = install,
            };
        }

        if (folder.Exists("config.ru"))
        {
            reasons.Add("Found config.ru: a Rack app started with rackup on 0.0.0.0:$PORT.");
            return new DetectedStack(StackKeys.Ruby, "bundler", "rack", null, "bundle exec rackup -o 0.0.0.0 -p $PORT", reasons)
            {
                ManifestFiles = manifests,
                InstallCommand = install,
            };
        }

        var script = RubyScripts.FirstOrDefault(folder.Exists);
        if (script is null)
        {
            throw new StackNotDetectedException("Found Gemfile but no Rails app, no config.ru and no app.rb/main.rb/server.rb to start.");
        }

        reasons.Add($"No Rails or config.ru; starting {script} (it should listen on $PORT).");
        return new DetectedStack(StackKeys.Ruby, "bundler", null, null, $"bundle exec ruby {script}", reasons)
        {
            ManifestFiles = manifests,
            InstallCommand = install,
        };
    }

    private static DetectedStack? DetectPython(SourceFolder folder)
    {
        var hasRequirements = folder.Exists("requirements.txt");
        var hasPyproject = folder.Exists("pyproject.toml");
        var hasPipfile = folder.Exists("Pipfile");
        var hasManagePy = folder.Exists("manage.py");
        if (!hasRequirements && !hasPyproject && !hasPipfile && !hasManagePy)
        {
            return null;
        }

        var reasons = new List<string>();
        string packageManager;
        string install;
        var manifests = new List<string>();
        var installNeedsSource = false;
        var dependencies = string.Empty;
        if (hasRequirements)
        {
            packageManager = "pip";
            manifests.Add("requirements.txt");
            install = "pip install --no-cache-dir -r requirements.txt";
            dependencies = folder.Read("requirements.txt");
            reasons.Add("Found requirements.txt: dependencies installed with pip before the source is copied.");
        }
        else if (hasPipfile)
        {
            packageManager = "pipenv";
            manifests.Add("Pipfile");
            dependencies = folder.Read("Pipfile");
            var locked = folder.Exists("Pipfile.lock");
            if (locked)
            {
                manifests.Add("Pipfile.lock");
            }

            install = "pip install --no-cache-dir pipenv && pipenv install --system " + (locked ? "--deploy" : "--skip-lock");
            reasons.Add(locked ? "Found Pipfile and Pipfile.lock: pipenv installs the locked set into the system interpreter." : "Found Pipfile: pipenv installs into the system interpreter.");
        }
        else if (hasPyproject)
        {
            var pyproject = folder.Read("pyproject.toml");
            dependencies = pyproject;
            manifests.Add("pyproject.toml");
            if (pyproject.Contains("[tool.poetry]", StringComparison.Ordinal))
            {
                packageManager = "poetry";
                if (folder.Exists("poetry.lock"))
                {
                    manifests.Add("poetry.lock");
                }

                install = "pip install --no-cache-dir poetry && poetry config virtualenvs.create false && poetry install --no-root --only main --no-interaction";
                reasons.Add("Found pyproject.toml with [tool.poetry]: poetry installs the main dependencies into the system interpreter.");
            }
            else
            {
                packageManager = "pip";
                install = "pip install --no-cache-dir .";
                installNeedsSource = true;
                reasons.Add("Found pyproject.toml: the project is installed with pip (needs the source, so after the copy).");
            }
        }
        else
        {
            packageManager = "pip";
            install = "pip install --no-cache-dir django gunicorn";
            dependencies = "django gunicorn";
            reasons.Add("Found manage.py without a dependency file: installing django and gunicorn.");
        }

        var deps = dependencies.ToLowerInvariant();
        bool Has(string name) => PythonDependencyRegex(name).IsMatch(deps);
        var hasGunicorn = Has("gunicorn");

        if (hasManagePy || Has("django"))
        {
            var project = DjangoProject(folder);
            reasons.Add(hasManagePy ? "Found manage.py: a Django project." : "Dependencies list django: a Django project.");
            string start;
            if (hasGunicorn && project is not null)
            {
                start = $"gunicorn {project}.wsgi --bind 0.0.0.0:$PORT";
                reasons.Add($"gunicorn is a dependency: serving {project}.wsgi with gunicorn.");
            }
            else
            {
                start = "python manage.py runserver 0.0.0.0:$PORT";
                reasons.Add("gunicorn is not a dependency: using Django's runserver (add gunicorn for production).");
            }

            return Python("django", start);
        }

        var module = PythonModules.FirstOrDefault(m => folder.Exists(m + ".py"));
        if (Has("fastapi"))
        {
            module ??= "main";
            reasons.Add($"Dependencies list fastapi: served by uvicorn {module}:app.");
            return Python("fastapi", $"uvicorn {module}:app --host 0.0.0.0 --port $PORT");
        }

        if (Has("flask"))
        {
            module ??= "app";
            if (hasGunicorn)
            {
                reasons.Add($"Dependencies list flask and gunicorn: gunicorn serves {module}:app.");
                return Python("flask", $"gunicorn {module}:app --bind 0.0.0.0:$PORT");
            }

            reasons.Add($"Dependencies list flask (no gunicorn): flask run serves {module}.");
            return Python("flask", $"flask --app {module} run --host 0.0.0.0 --port $PORT");
        }

        var script = PythonScripts.FirstOrDefault(folder.Exists)
            ?? throw new StackNotDetectedException("Found a Python dependency file but no Django/Flask/FastAPI app and no main.py/app.py/server.py to start.");
        reasons.Add($"No known web framework; running python {script} (it should listen on $PORT).");
        return Python(null, $"python {script}");

        DetectedStack Python(string? framework, string start) =>
            new(StackKeys.Python, packageManager, framework, null, start, reasons)
            {
                ManifestFiles = manifests,
                InstallCommand = install,
                InstallNeedsSource = installNeedsSource,
            };
    }

    private static string? DjangoProject(SourceFolder folder)
    {
        if (folder.Exists("manage.py"))
        {
            var match = DjangoSettingsRegex().Match(folder.Read("manage.py"));
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }

        return folder.SubDirectories(".").FirstOrDefault(d => folder.Exists(d + "/wsgi.py"));
    }

    private static DetectedStack? DetectPhp(SourceFolder folder, bool requireComposer)
    {
        var hasComposer = folder.Exists("composer.json");
        if (requireComposer ? !hasComposer : !folder.Exists("index.php") && !folder.Exists("public/index.php"))
        {
            return null;
        }

        var reasons = new List<string>();
        var manifests = new List<string>();
        string? install = null;
        if (hasComposer)
        {
            manifests.Add("composer.json");
            if (folder.Exists("composer.lock"))
            {
                manifests.Add("composer.lock");
            }

            install = "composer install --no-dev --no-interaction --no-scripts --no-autoloader --prefer-dist";
            reasons.Add("Found composer.json: a PHP app, dependencies installed with composer before the source is copied.");
        }
        else
        {
            reasons.Add("Found index.php: a PHP app.");
        }

        var docroot = folder.Exists("public/index.php") ? "public" : ".";
        reasons.Add($"Served by PHP's built-in server on 0.0.0.0:$PORT with document root '{docroot}'.");
        var framework = folder.Exists("artisan") ? "laravel" : null;
        return new DetectedStack(StackKeys.Php, hasComposer ? "composer" : null, framework,
            hasComposer ? "composer dump-autoload --optimize --no-dev" : null,
            $"php -S 0.0.0.0:$PORT -t {docroot}", reasons)
        {
            ManifestFiles = manifests,
            InstallCommand = install,
            StaticDirectory = docroot,
        };
    }

    private static DetectedStack? DetectNode(SourceFolder folder)
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
            : NodeScripts.FirstOrDefault(folder.Exists);
        if (main is null)
        {
            throw new StackNotDetectedException("Found package.json but no start script, no \"main\" and no server.js/index.js/app.js/main.js to run.");
        }

        reasons.Add($"No start script: running node {main} (it should listen on $PORT).");
        return Node(null, $"node {main}");
    }

    private static DetectedStack? DetectStatic(SourceFolder folder)
    {
        if (!folder.Exists("index.html"))
        {
            return null;
        }

        return new DetectedStack(StackKeys.Static, null, null, null, null,
            ["Found index.html and no application manifest: a static site served by a small HTTP server on $PORT."])
        {
            StaticDirectory = ".",
        };
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

    private static Regex GemRegex(string gem) => new($@"^\s*gem\s+['""]{Regex.Escape(gem)}['""]", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    // Matches a requirement name at the start of a line or as a quoted/TOML key, so "flask-cors" does not count as "flask".
    private static Regex PythonDependencyRegex(string name) =>
        new($@"(^|[\s""'\[,])\s*{Regex.Escape(name)}(?![\w-])", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"<AssemblyName>\s*([^<]+)</AssemblyName>", RegexOptions.CultureInvariant)]
    private static partial Regex AssemblyNameRegex();

    [GeneratedRegex(@"DJANGO_SETTINGS_MODULE['""]\s*,\s*['""]([A-Za-z_][\w]*)\.settings", RegexOptions.CultureInvariant)]
    private static partial Regex DjangoSettingsRegex();

    /// <summary>Read-only view of the source folder with '/' separated relative paths.</summary>
    private sealed class SourceFolder(string root)
    {
        public bool Exists(string relative)
        {
            var full = Path.Combine(root, relative);
            return File.Exists(full) || Directory.Exists(full);
        }

        public string Read(string relative) => File.ReadAllText(Path.Combine(root, relative));

        public List<string> SubDirectories(string relative)
        {
            var dir = Path.Combine(root, relative);
            return Directory.Exists(dir)
                ? Directory.GetDirectories(dir).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.')).Order(StringComparer.Ordinal).ToList()
                : [];
        }

        public List<string> FindFiles(string pattern, int maxDepth)
        {
            var options = new EnumerationOptions { RecurseSubdirectories = maxDepth > 0, MaxRecursionDepth = maxDepth, IgnoreInaccessible = true };
            return Directory.EnumerateFiles(root, pattern, options)
                .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
                .Where(f => !f.Split('/').Any(s => s is "node_modules" or "bin" or "obj" or ".git"))
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }
}
