using MiniPaas.Core.Variables;

namespace MiniPaas.Tests.Variables;

public sealed class VariableSuggesterTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "minipaas-suggest-" + Guid.NewGuid().ToString("N")[..10]);

    public VariableSuggesterTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private VariableSuggestion Single(string key) => Assert.Single(VariableSuggester.Suggest(_folder), s => s.Key == key);

    [Fact]
    public void Suggest_ExampleFiles_KeysWithValuesAndLines()
    {
        Write(".env.example", "# database\nDATABASE_URL=postgres://localhost/dev\n\nexport API_TOKEN=\nBROKEN LINE\n");
        Write("api/.env.sample", "SENTRY_DSN=\n");
        Write(".env.template", "LOG_LEVEL=info # default\n");

        var suggestions = VariableSuggester.Suggest(_folder);

        Assert.Equal(["API_TOKEN", "DATABASE_URL", "LOG_LEVEL", "SENTRY_DSN"], suggestions.Select(s => s.Key));
        Assert.Equal(new SuggestionSource("listed in .env.example", ".env.example", 2), Single("DATABASE_URL").Sources[0]);
        Assert.Equal("postgres://localhost/dev", Single("DATABASE_URL").SuggestedValue);
        Assert.Null(Single("API_TOKEN").SuggestedValue);
        Assert.Equal(4, Single("API_TOKEN").Sources[0].Line);
        Assert.Equal("api/.env.sample:1", $"{Single("SENTRY_DSN").Sources[0].File}:{Single("SENTRY_DSN").Sources[0].Line}");
        Assert.Equal("info", Single("LOG_LEVEL").SuggestedValue);
        Assert.Equal("listed in .env.example (.env.example:2)", Single("DATABASE_URL").Reason);
    }

    public static TheoryData<string, string, string, int, bool> SourceReads => new()
    {
        // file, content, key, line, required (no default in code)
        { "server.js", "const x = 1;\nconst url = process.env.DATABASE_URL;", "DATABASE_URL", 2, true },
        { "src/a.ts", "const k = process.env['STRIPE_KEY'];", "STRIPE_KEY", 1, true },
        { "web/main.tsx", "fetch(import.meta.env.VITE_API_URL)", "VITE_API_URL", 1, true },
        { "index.mjs", "const port = process.env.LISTEN || 3000", "LISTEN", 1, false },
        { "index.cjs", "const t = process.env.TIMEOUT ?? '5'", "TIMEOUT", 1, false },
        { "app.py", "import os\nkey = os.environ[\"SECRET_KEY\"]", "SECRET_KEY", 2, true },
        { "app.py", "url = os.environ.get('REDIS_URL')", "REDIS_URL", 1, true },
        { "app.py", "debug = os.environ.get('DEBUG', 'False')", "DEBUG", 1, false },
        { "settings.py", "\n\nname = os.getenv(\"APP_NAME\")", "APP_NAME", 3, true },
        { "settings.py", "name = os.getenv(\"APP_NAME\", \"demo\")", "APP_NAME", 1, false },
        { "config/app.rb", "token = ENV[\"GITHUB_TOKEN\"]", "GITHUB_TOKEN", 1, true },
        { "config/app.rb", "level = ENV['LOG_LEVEL'] || 'info'", "LOG_LEVEL", 1, false },
        { "config/app.rb", "host = ENV.fetch('SMTP_HOST')", "SMTP_HOST", 1, true },
        { "main.go", "package main\n\nfunc main() { addr := os.Getenv(\"ADDR\") }", "ADDR", 3, true },
        { "Program.cs", "var k = Environment.GetEnvironmentVariable(\"API_KEY\");", "API_KEY", 1, true },
        { "Program.cs", "var k = builder.Configuration[\"Smtp_Host\"];", "Smtp_Host", 1, true },
        { "prisma/schema.prisma", "datasource db {\n  provider = \"postgresql\"\n  url = env(\"DB_URL\")\n}", "DB_URL", 3, true },
        { "compose.yaml", "services:\n  web:\n    environment:\n      - MAIL_FROM=noreply@x.org\n      - MAIL_KEY=${MAIL_KEY}\n", "MAIL_KEY", 5, true },
        { "docker-compose.yml", "services:\n  web:\n    environment:\n      QUEUE: jobs\n", "QUEUE", 4, false },
    };

    [Theory]
    [MemberData(nameof(SourceReads))]
    public void Suggest_SourceRead_FoundWithFileLineAndRequiredness(string file, string content, string key, int line, bool required)
    {
        Write(file, content);

        var suggestion = Single(key);

        Assert.Equal(file, suggestion.Sources[0].File);
        Assert.Equal(line, suggestion.Sources[0].Line);
        Assert.Equal(required, suggestion.IsRequired);
        Assert.StartsWith(file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal) ? "in compose" : "read by", suggestion.Sources[0].Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, int, string> Frameworks => new()
    {
        // file, content, line of the dependency, expected "KEY=value" list (value empty when none is proposed)
        { "package.json", "{\n  \"dependencies\": {\n    \"express\": \"^4.19.0\"\n  }\n}", 3, "NODE_ENV=production PORT=" },
        { "package.json", "{\n  \"dependencies\": {\n    \"@prisma/client\": \"5.0.0\"\n  }\n}", 3, "DATABASE_URL=" },
        { "package.json", "{ \"dependencies\": {\n \"mongoose\": \"8\" } }", 2, "MONGODB_URI=" },
        { "package.json", "{ \"dependencies\": {\n \"ioredis\": \"5\" } }", 2, "REDIS_URL=" },
        { "requirements.txt", "gunicorn\nDjango>=5.0\n", 2, "ALLOWED_HOSTS= DEBUG=False SECRET_KEY=" },
        { "pyproject.toml", "[project]\ndependencies = [\"flask>=3\", \"gunicorn\"]\n", 2, "SECRET_KEY=" },
        { "requirements.txt", "redis==5.0.1\n", 1, "REDIS_URL=" },
        { "Gemfile", "source 'https://rubygems.org'\ngem 'rails', '~> 7.1'\n", 2, "RAILS_ENV=production RAILS_MASTER_KEY= SECRET_KEY_BASE=" },
        { "Gemfile", "gem \"redis\"\n", 1, "REDIS_URL=" },
        { "Api/Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\">\n</Project>", 1, "ASPNETCORE_ENVIRONMENT=Production" },
        { "appsettings.json", "{\n  \"ConnectionStrings\": {\n    \"Default\": \"\"\n  }\n}", 3, "ConnectionStrings__Default=" },
    };

    [Theory]
    [MemberData(nameof(Frameworks))]
    public void Suggest_FrameworkTemplate_VariablesWithReasonAndLine(string file, string content, int line, string expected)
    {
        Write(file, content);

        var suggestions = VariableSuggester.Suggest(_folder);

        Assert.Equal(expected, string.Join(' ', suggestions.Select(s => $"{s.Key}={s.SuggestedValue}")));
        Assert.All(suggestions, s => Assert.Equal((file, line), (s.Sources[0].File, s.Sources[0].Line)));
    }

    [Fact]
    public void Suggest_NotFrameworks_NothingFromLookalikes()
    {
        Write("requirements.txt", "django-environ==0.11\nflask-cors\n");
        Write("Gemfile", "gem 'rails-html-sanitizer'\n");
        Write("package.json", "{ \"dependencies\": { \"express-session\": \"1\" } }");

        Assert.Empty(VariableSuggester.Suggest(_folder));
    }

    [Fact]
    public void Suggest_DependencyFoldersAndBigFiles_Skipped()
    {
        Write("node_modules/lib/index.js", "process.env.FROM_NODE_MODULES");
        Write(".git/hooks/x.js", "process.env.FROM_GIT");
        Write("vendor/gem/x.rb", "ENV['FROM_VENDOR']");
        Write("dist/bundle.js", "process.env.FROM_DIST");
        Write("big.js", "process.env.FROM_BIG_FILE;" + new string(' ', (int)VariableSuggester.MaxFileBytes));
        Write("src/ok.js", "process.env.KEPT");

        Assert.Equal(["KEPT"], VariableSuggester.Suggest(_folder).Select(s => s.Key));
    }

    [Fact]
    public void Suggest_SameKeyManyPlaces_OneSuggestionWithEverySource()
    {
        Write(".env.example", "SESSION_SECRET=\n");
        Write("a.js", "process.env.SESSION_SECRET\nprocess.env.HOME\nprocess.env.PATH");
        Write("b.py", "os.getenv('SESSION_SECRET', 'dev')");

        var suggestions = VariableSuggester.Suggest(_folder);

        var secret = Assert.Single(suggestions);
        Assert.Equal(["listed in .env.example (.env.example:1)", "read by process.env (a.js:1)", "read by os.getenv (b.py:1)"], secret.Sources.Select(s => s.ToString()));
        Assert.True(secret.IsRequired);
        Assert.True(secret.IsSecretLike);
    }

    [Fact]
    public void Missing_RequiredReadsNotSet_ListedOthersNot()
    {
        Write(".env.example", "FROM_EXAMPLE=\n");
        Write("server.js", "process.env.DATABASE_URL\nprocess.env.PORT\nprocess.env.SET_ALREADY\nprocess.env.WITH_DEFAULT || 'x'");

        var missing = VariableSuggester.Missing(VariableSuggester.Suggest(_folder), ["SET_ALREADY"]);

        Assert.Equal(["DATABASE_URL"], missing.Select(s => s.Key));
        Assert.Equal("read by process.env (server.js:1)", missing[0].Reason);
    }

    [Fact]
    public void GenerateSecretValue_StrongAndPlain()
    {
        var a = VariableSuggestion.GenerateSecretValue();
        var b = VariableSuggestion.GenerateSecretValue();

        Assert.NotEqual(a, b);
        Assert.Equal(43, a.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", a);
        Assert.Equal(a, DotEnvWriter.Quote(a));
    }

    [Fact]
    public void Suggest_PortFromExpress_MarkedPlatformProvided()
    {
        Write("package.json", "{ \"dependencies\": { \"express\": \"4\" } }");

        Assert.True(Single("PORT").IsPlatformProvided);
        Assert.False(Single("NODE_ENV").IsPlatformProvided);
    }
}
