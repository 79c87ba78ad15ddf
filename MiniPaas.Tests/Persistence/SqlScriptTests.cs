using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MiniPaas.Core.Persistence;

namespace MiniPaas.Tests.Persistence;

public sealed class SqlScriptTests
{
    private const string RegenerateCommand =
        "dotnet ef migrations script --idempotent --project MiniPaas.Core --startup-project MiniPaas.Core --output sql/schema.sql";

    [Fact]
    public void SqlScript_MatchesMigrations()
    {
        using var context = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions("Host=127.0.0.1;Database=minipaas"));
        var generated = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        var path = Path.Combine(RepositoryRoot(), "sql", "schema.sql");

        Assert.True(File.Exists(path), $"sql/schema.sql is missing; generate it from the repository root with: {RegenerateCommand}");
        var isCurrent = Normalize(File.ReadAllText(path)) == Normalize(generated);
        var generatedCopy = Path.Combine(Path.GetTempPath(), "minipaas-schema.generated.sql");
        if (!isCurrent)
        {
            File.WriteAllText(generatedCopy, generated);
        }

        Assert.True(
            isCurrent,
            $"sql/schema.sql is stale (the script the migrations produce now is in {generatedCopy}): it differs from the idempotent script of the EF Core migrations. Regenerate it from the repository root with: {RegenerateCommand}");
    }

    private static string Normalize(string sql) =>
        string.Join('\n', sql.TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd())).Trim();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MiniPaas.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"MiniPaas.sln not found above {AppContext.BaseDirectory}");
    }
}
