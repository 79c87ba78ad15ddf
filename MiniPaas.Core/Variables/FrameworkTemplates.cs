using System.Text.RegularExpressions;

namespace MiniPaas.Core.Variables;

/// <summary>
/// Variables frameworks conventionally need, recognised from dependency manifests: the line that declares the
/// dependency is the line reported. Values are proposed only where a production default is obvious.
/// </summary>
internal static partial class FrameworkTemplates
{
    private sealed record Variable(string Key, string? Value, string Why);

    private sealed record Template(string Framework, Func<string, bool> AppliesToFile, Regex Dependency, Variable[] Variables);

    private static readonly Variable[] Redis = [new("REDIS_URL", null, "the Redis connection URL")];

    private static readonly Template[] Templates =
    [
        new("Express", IsPackageJson, Npm("express"),
            [new("PORT", null, "the port to listen on (MiniPaas sets it)"), new("NODE_ENV", "production", "production mode: caching, less verbose errors")]),
        new("Prisma", IsPackageJson, Npm("prisma|@prisma/client"), [new("DATABASE_URL", null, "the database connection string")]),
        new("Mongoose", IsPackageJson, Npm("mongoose"), [new("MONGODB_URI", null, "the MongoDB connection string")]),
        new("Redis client", IsPackageJson, Npm("redis|ioredis"), Redis),
        new("Next.js", IsPackageJson, Npm("next"), [new("NODE_ENV", "production", "production mode")]),
        new("Django", IsPythonManifest, Python("django"),
            [new("SECRET_KEY", null, "signs sessions and tokens"), new("DEBUG", "False", "never run with debug on in production"),
             new("ALLOWED_HOSTS", null, "the host names the app answers to")]),
        new("Flask", IsPythonManifest, Python("flask"), [new("SECRET_KEY", null, "signs the session cookie")]),
        new("Redis client", IsPythonManifest, Python("redis"), Redis),
        new("Rails", IsGemfile, Gem("rails"),
            [new("RAILS_MASTER_KEY", null, "decrypts config/credentials.yml.enc"), new("SECRET_KEY_BASE", null, "signs cookies and sessions"),
             new("RAILS_ENV", "production", "production mode")]),
        new("Redis client", IsGemfile, Gem("redis"), Redis),
        new("ASP.NET Core", IsProjectFile, AspNetSdk(), [new("ASPNETCORE_ENVIRONMENT", "Production", "the hosting environment")]),
    ];

    /// <summary>Calls <paramref name="suggest"/> (key, value, reason, line) for each template variable of a framework declared in this file.</summary>
    public static void Scan(string fileName, string[] lines, string relative, Action<string, string?, string, int> suggest)
    {
        foreach (var template in Templates)
        {
            if (!template.AppliesToFile(fileName))
            {
                continue;
            }

            var line = Array.FindIndex(lines, l => template.Dependency.IsMatch(l));
            if (line < 0)
            {
                continue;
            }

            foreach (var variable in template.Variables)
            {
                suggest(variable.Key, variable.Value, $"{template.Framework} app ({fileName}): {variable.Why}", line + 1);
            }
        }

        if (fileName.Equals("appsettings.json", StringComparison.OrdinalIgnoreCase))
        {
            ConnectionStrings(lines, suggest);
        }
    }

    // ASP.NET Core reads ConnectionStrings:Name from the environment variable ConnectionStrings__Name.
    private static void ConnectionStrings(string[] lines, Action<string, string?, string, int> suggest)
    {
        var section = Array.FindIndex(lines, l => l.Contains("\"ConnectionStrings\"", StringComparison.Ordinal));
        if (section < 0)
        {
            return;
        }

        for (var i = section + 1; i < lines.Length && !lines[i].TrimStart().StartsWith('}'); i++)
        {
            var name = JsonName().Match(lines[i]);
            if (name.Success)
            {
                suggest($"ConnectionStrings__{name.Groups["name"].Value}", null, "ASP.NET Core connection string (appsettings.json)", i + 1);
            }
        }
    }

    private static bool IsPackageJson(string name) => name == "package.json";

    private static bool IsPythonManifest(string name) =>
        name is "requirements.txt" or "pyproject.toml" or "Pipfile" or "setup.py" || (name.StartsWith("requirements", StringComparison.Ordinal) && name.EndsWith(".txt", StringComparison.Ordinal));

    private static bool IsGemfile(string name) => name == "Gemfile";

    private static bool IsProjectFile(string name) => name.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase);

    private static Regex Npm(string names) => new($@"""({names})""\s*:", RegexOptions.CultureInvariant);

    // "django>=4", "Django==5.0", django = "^4" (pyproject/Pipfile), "django" in a list; not "django-environ".
    private static Regex Python(string name) => new($@"^\s*[""']?{name}[""']?\s*([<>=!~\[;:,\s]|$)|[""']{name}([<>=!~\[;\s][^""']*)?[""']", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static Regex Gem(string name) => new($@"^\s*gem\s+['""]{name}['""]", RegexOptions.CultureInvariant);

    private static Regex AspNetSdk() => new(@"Sdk=""Microsoft\.NET\.Sdk\.Web""", RegexOptions.CultureInvariant);

    [GeneratedRegex(@"^\s*""(?<name>[A-Za-z_][A-Za-z0-9_]*)""\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex JsonName();
}
