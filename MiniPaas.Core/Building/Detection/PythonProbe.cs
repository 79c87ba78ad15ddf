using System.Text.RegularExpressions;

namespace MiniPaas.Core.Building.Detection;

/// <summary>
/// Python: <c>requirements.txt</c>, <c>Pipfile</c>, <c>pyproject.toml</c> or a bare <c>manage.py</c>; Django, FastAPI and
/// Flask are started with their usual servers, anything else as a script.
/// </summary>
internal sealed partial class PythonProbe : IStackProbe
{
    private static readonly string[] Modules = ["main", "app", "server", "application", "wsgi", "asgi"];
    private static readonly string[] Scripts = ["main.py", "app.py", "server.py"];

    public DetectedStack? Probe(SourceFolder folder)
    {
        var hasManagePy = folder.Exists("manage.py");
        if (!folder.Exists("requirements.txt") && !folder.Exists("pyproject.toml") && !folder.Exists("Pipfile") && !hasManagePy)
        {
            return null;
        }

        var reasons = new List<string>();
        var manifests = new List<string>();
        var installer = Installer(folder, manifests, reasons);

        var deps = installer.Dependencies.ToLowerInvariant();
        bool Has(string name) => DependencyRegex(name).IsMatch(deps);
        var hasGunicorn = Has("gunicorn");

        DetectedStack Python(string? framework, string start) =>
            new(StackKeys.Python, installer.PackageManager, framework, null, start, reasons)
            {
                ManifestFiles = manifests,
                InstallCommand = installer.Command,
                InstallNeedsSource = installer.NeedsSource,
            };

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

        var module = Modules.FirstOrDefault(m => folder.Exists(m + ".py"));
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

        var script = Scripts.FirstOrDefault(folder.Exists)
            ?? throw new StackNotDetectedException("Found a Python dependency file but no Django/Flask/FastAPI app and no main.py/app.py/server.py to start.");
        reasons.Add($"No known web framework; running python {script} (it should listen on $PORT).");
        return Python(null, $"python {script}");
    }

    /// <summary>How dependencies are installed; the first dependency file found wins (requirements.txt, Pipfile, pyproject.toml).</summary>
    private static PythonInstaller Installer(SourceFolder folder, List<string> manifests, List<string> reasons)
    {
        if (folder.Exists("requirements.txt"))
        {
            manifests.Add("requirements.txt");
            reasons.Add("Found requirements.txt: dependencies installed with pip before the source is copied.");
            return new("pip", "pip install --no-cache-dir -r requirements.txt", folder.Read("requirements.txt"), NeedsSource: false);
        }

        if (folder.Exists("Pipfile"))
        {
            manifests.Add("Pipfile");
            var locked = folder.Exists("Pipfile.lock");
            if (locked)
            {
                manifests.Add("Pipfile.lock");
            }

            reasons.Add(locked ? "Found Pipfile and Pipfile.lock: pipenv installs the locked set into the system interpreter." : "Found Pipfile: pipenv installs into the system interpreter.");
            return new("pipenv", "pip install --no-cache-dir pipenv && pipenv install --system " + (locked ? "--deploy" : "--skip-lock"),
                folder.Read("Pipfile"), NeedsSource: false);
        }

        if (folder.Exists("pyproject.toml"))
        {
            var pyproject = folder.Read("pyproject.toml");
            manifests.Add("pyproject.toml");
            if (pyproject.Contains("[tool.poetry]", StringComparison.Ordinal))
            {
                if (folder.Exists("poetry.lock"))
                {
                    manifests.Add("poetry.lock");
                }

                reasons.Add("Found pyproject.toml with [tool.poetry]: poetry installs the main dependencies into the system interpreter.");
                return new("poetry", "pip install --no-cache-dir poetry && poetry config virtualenvs.create false && poetry install --no-root --only main --no-interaction",
                    pyproject, NeedsSource: false);
            }

            reasons.Add("Found pyproject.toml: the project is installed with pip (needs the source, so after the copy).");
            return new("pip", "pip install --no-cache-dir .", pyproject, NeedsSource: true);
        }

        reasons.Add("Found manage.py without a dependency file: installing django and gunicorn.");
        return new("pip", "pip install --no-cache-dir django gunicorn", "django gunicorn", NeedsSource: false);
    }

    private static string? DjangoProject(SourceFolder folder)
    {
        if (folder.Exists("manage.py"))
        {
            var match = DjangoSettingsRegex().Match(folder.TryRead("manage.py") ?? string.Empty);
            if (match.Success)
            {
                return match.Groups[1].Value;
            }
        }

        return folder.SubDirectories(".").FirstOrDefault(d => folder.Exists(d + "/wsgi.py"));
    }

    // Matches a requirement name at the start of a line or as a quoted/TOML key, so "flask-cors" does not count as "flask".
    private static Regex DependencyRegex(string name) =>
        new($@"(^|[\s""'\[,])\s*{Regex.Escape(name)}(?![\w-])", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    [GeneratedRegex(@"DJANGO_SETTINGS_MODULE['""]\s*,\s*['""]([A-Za-z_][\w]*)\.settings", RegexOptions.CultureInvariant)]
    private static partial Regex DjangoSettingsRegex();

    private sealed record PythonInstaller(string PackageManager, string Command, string Dependencies, bool NeedsSource);
}
