using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Persistence;
using MiniPaas.Core.Variables;
using MiniPaas.Tests.Shared;
using Npgsql;

namespace MiniPaas.Tests.Variables;

/// <summary>The per-variable secret flag in real PostgreSQL: its defaults, its changes, and what the masker gets from it.</summary>
public sealed class SecretFlagTests
{
    [Fact]
    public async Task SetAsync_NewVariables_SecretByTheRuleUnlessGivenExplicitly()
    {
        var (services, variables, projectId) = await StartAsync("flag_new");
        await using var _ = services;

        var result = await variables.SetManyAsync(projectId, [
            new VariableInput("API_TOKEN", "tok-abcdef"),
            new VariableInput("DATABASE_URL", "postgres://app:pw-123456@db/app"),
            new VariableInput("LINES", "20000"),
            new VariableInput("SESSION_SECRET", "typed-by-hand", IsSecret: false),
            new VariableInput("NODE_ENV", "production", IsSecret: true),
        ], "tester");

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(
            [("API_TOKEN", true), ("DATABASE_URL", true), ("LINES", false), ("NODE_ENV", true), ("SESSION_SECRET", false)],
            (await variables.ListAsync(projectId)).Select(v => (v.Key, v.IsSecret)));
    }

    [Fact]
    public async Task SetAsync_ExistingVariable_KeepsItsFlagUntilTheValueHoldsAUrlPassword()
    {
        var (services, variables, projectId) = await StartAsync("flag_update");
        await using var _ = services;
        await variables.SetManyAsync(projectId, [new("API_TOKEN", "tok-abcdef"), new("UPSTREAM", "https://api.example.com")], "tester");
        Assert.True(await variables.SetSecretAsync(projectId, "API_TOKEN", false, "tester"));

        await variables.SetAsync(projectId, "API_TOKEN", "tok-changed", "tester");
        await variables.SetAsync(projectId, "UPSTREAM", "https://bot:pw-123456@api.example.com", "tester");

        Assert.Equal([("API_TOKEN", false), ("UPSTREAM", true)], (await variables.ListAsync(projectId)).Select(v => (v.Key, v.IsSecret)));
    }

    [Fact]
    public async Task SetSecretAsync_Toggled_AuditedButNotAnEnvironmentChange()
    {
        var (services, variables, projectId) = await StartAsync("flag_toggle");
        await using var _ = services;
        await variables.SetAsync(projectId, "LINES", "20000", "tester");
        var changedAt = await variables.LastChangedAtAsync(projectId);

        Assert.True(await variables.SetSecretAsync(projectId, "LINES", true, "alice"));
        Assert.True(await variables.SetSecretAsync(projectId, "LINES", true, "alice"));
        Assert.True(await variables.SetSecretAsync(projectId, "LINES", false, "bob"));
        Assert.False(await variables.SetSecretAsync(projectId, "MISSING", true, "bob"));

        Assert.False(Assert.Single(await variables.ListAsync(projectId)).IsSecret);
        // The second "on" changed nothing and is not audited; neither toggle asks for a redeploy.
        Assert.Equal(
            [("secret off", "bob"), ("secret on", "alice"), ("created", "tester")],
            (await variables.ListAuditAsync(projectId)).Select(a => (a.Action, a.Actor)));
        Assert.Equal(changedAt, await variables.LastChangedAtAsync(projectId));
    }

    [Fact]
    public async Task SecretValues_PlainSettingsAndShortSecretsNotMasked_ComposedFromASecretMaskedWhole()
    {
        var (services, variables, projectId) = await StartAsync("flag_values");
        await using var _ = services;
        await variables.SetManyAsync(projectId, [
            new VariableInput("LINES", "20000"),
            new VariableInput("NODE_ENV", "production"),
            new VariableInput("API_TOKEN", "tok-abcdef-123"),
            new VariableInput("PIN_SECRET", "4711"),
            // A short password, composed into a URL that is not itself marked secret: the URL carries the secret.
            new VariableInput("DB_PASSWORD", "pw"),
            new VariableInput("DATABASE_URL", "postgres://app:${DB_PASSWORD}@db/app", IsSecret: false),
            new VariableInput("GREETING", "hello ${LINES} lines"),
        ], "tester");
        var secretValues = new ProjectVariableSecretValues(variables);

        var masker = new SecretMasker(await secretValues.GetAsync(projectId));

        Assert.Equal("line 20000 of burst in production", masker.Apply("line 20000 of burst in production"));
        Assert.Equal("token *** sent", masker.Apply("token tok-abcdef-123 sent"));
        Assert.Equal("pin 4711, password pw", masker.Apply("pin 4711, password pw"));
        Assert.Equal("connecting to ***", masker.Apply("connecting to postgres://app:pw@db/app"));
        Assert.Equal("hello 20000 lines", masker.Apply("hello 20000 lines"));

        // LINES becomes a secret with a value long enough to be masked: it and GREETING, which brings it in, are masked;
        // API_TOKEN is a plain setting now.
        await variables.SetAsync(projectId, "LINES", "120000", "tester");
        await variables.SetSecretAsync(projectId, "LINES", true, "tester");
        await variables.SetSecretAsync(projectId, "API_TOKEN", false, "tester");
        var toggled = new SecretMasker(await secretValues.GetAsync(projectId));

        Assert.Equal("line *** of burst", toggled.Apply("line 120000 of burst"));
        Assert.Equal("***", toggled.Apply("hello 120000 lines"));
        Assert.Equal("token tok-abcdef-123 sent", toggled.Apply("token tok-abcdef-123 sent"));
    }

    [Fact]
    public async Task Migration_VariablesStoredBeforeTheFlag_AllBecomeSecrets()
    {
        var connectionString = await (await PostgresFixture.GetAsync()).CreateDatabaseAsync("flag_migration");
        await using (var db = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(connectionString)))
        {
            var migrator = db.GetService<IMigrator>();
            var migrations = db.Database.GetMigrations().ToList();
            var flag = migrations.Single(m => m.EndsWith("_VariableSecretFlag", StringComparison.Ordinal));
            await migrator.MigrateAsync(migrations[migrations.IndexOf(flag) - 1]);

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO projects (name, subdomain, source_url, branch, root_directory, auto_deploy, created_at, updated_at)
                    VALUES ('old', 'old', '/tmp/none', 'main', '', false, now(), now());
                INSERT INTO env_vars (project_id, key, encrypted_value, is_build_time, created_at, updated_at)
                    SELECT id, k, 'ciphertext', false, now(), now() FROM projects, unnest(ARRAY['LINES', 'API_TOKEN']) AS k;
                """, connection);
            await insert.ExecuteNonQueryAsync();

            await migrator.MigrateAsync();
        }

        await using var check = new MiniPaasDbContext(MiniPaasDbContext.CreateOptions(connectionString));
        Assert.Equal([("API_TOKEN", true), ("LINES", true)], (await check.EnvVars.OrderBy(v => v.Key).ToListAsync()).Select(v => (v.Key, v.IsSecret)));
    }

    private static async Task<(ServiceProvider Services, ProjectVariables Variables, long ProjectId)> StartAsync(string database)
    {
        var contexts = await VariablesTestStore.CreateDatabaseAsync(database);
        var projectId = await VariablesTestStore.AddProjectAsync(contexts, database.Replace('_', '-'));
        var services = VariablesTestStore.StartServices(contexts);
        return (services, services.GetRequiredService<ProjectVariables>(), projectId);
    }
}
