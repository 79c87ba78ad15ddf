using Microsoft.Extensions.DependencyInjection;
using MiniPaas.Core.Deploying;
using MiniPaas.Core.Logs;
using MiniPaas.Core.Variables;
using Npgsql;

namespace MiniPaas.Tests.Variables;

/// <summary>Variables stored encrypted in real PostgreSQL, with the Data Protection key ring in the same database.</summary>
public sealed class ProjectVariablesTests
{
    private const string MultiLine = "-----BEGIN KEY-----\r\nline two with \"quotes\" and $(id)\n  indented ${NOT_A_VAR}\n-----END KEY-----\n";

    [Fact]
    public async Task SetAsync_SecretValue_StoredColumnsNeverContainThePlainText()
    {
        var contexts = await VariablesTestStore.CreateDatabaseAsync("vars_plain");
        var projectId = await VariablesTestStore.AddProjectAsync(contexts, "plain");
        await using var services = VariablesTestStore.StartServices(contexts);
        var variables = services.GetRequiredService<ProjectVariables>();

        var result = await variables.SetAsync(projectId, "API_TOKEN", "tok-very-secret-4711", "tester");
        Assert.True(result.Succeeded, result.Error);
        Assert.True((await variables.SetAsync(projectId, "PEM", MultiLine, "tester")).Succeeded);

        await using var connection = new NpgsqlConnection(contexts.ConnectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { "env_vars", "env_var_audit", "data_protection_keys" })
        {
            await using var command = new NpgsqlCommand($"SELECT coalesce(string_agg(t::text, '|'), '') FROM {table} t", connection);
            var everything = (string)(await command.ExecuteScalarAsync())!;
            Assert.DoesNotContain("tok-very-secret-4711", everything, StringComparison.Ordinal);
            Assert.DoesNotContain("BEGIN KEY", everything, StringComparison.Ordinal);
        }

        await using var count = new NpgsqlCommand("SELECT count(*) FROM env_vars WHERE encrypted_value <> ''", connection);
        Assert.Equal(2L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task ListAsync_NewServicesOnSameDatabase_DecryptsVerbatim()
    {
        var contexts = await VariablesTestStore.CreateDatabaseAsync("vars_restart");
        var projectId = await VariablesTestStore.AddProjectAsync(contexts, "restart");
        await using (var first = VariablesTestStore.StartServices(contexts))
        {
            var result = await first.GetRequiredService<ProjectVariables>().SetManyAsync(
                projectId, [new("PEM", MultiLine), new("EMPTY", ""), new("PLAIN", "  spaced  ")], "tester");
            Assert.True(result.Succeeded, result.Error);
        }

        await using var second = VariablesTestStore.StartServices(contexts);
        var listed = await second.GetRequiredService<ProjectVariables>().ListAsync(projectId);

        Assert.Equal(["EMPTY", "PEM", "PLAIN"], listed.Select(v => v.Key));
        Assert.All(listed, v => Assert.True(v.CanDecrypt));
        Assert.Equal(MultiLine, listed.Single(v => v.Key == "PEM").Value);
        Assert.Equal("", listed.Single(v => v.Key == "EMPTY").Value);
        Assert.Equal("  spaced  ", listed.Single(v => v.Key == "PLAIN").Value);
    }

    [Fact]
    public async Task ListAsync_CorruptedAndMovedRows_CannotDecryptOnlyThoseRows()
    {
        var contexts = await VariablesTestStore.CreateDatabaseAsync("vars_corrupt");
        var projectId = await VariablesTestStore.AddProjectAsync(contexts, "corrupt");
        var otherId = await VariablesTestStore.AddProjectAsync(contexts, "other");
        await using var services = VariablesTestStore.StartServices(contexts);
        var variables = services.GetRequiredService<ProjectVariables>();
        await variables.SetManyAsync(projectId, [new("A", "one"), new("B", "two"), new("C", "three")], "tester");
        await variables.SetAsync(otherId, "STOLEN", "placeholder", "tester");

        await using (var connection = new NpgsqlConnection(contexts.ConnectionString))
        {
            await connection.OpenAsync();
            await using var corrupt = new NpgsqlCommand(
                "UPDATE env_vars SET encrypted_value = 'CfDJ8' || substr(encrypted_value, 10) WHERE key = 'B'", connection);
            Assert.Equal(1, await corrupt.ExecuteNonQueryAsync());
            // A ciphertext copied from one project to another is bound to its project by the purpose and must not decrypt.
            await using var move = new NpgsqlCommand(
                "UPDATE env_vars SET encrypted_value = (SELECT encrypted_value FROM env_vars WHERE key = 'A') WHERE key = 'STOLEN'", connection);
            Assert.Equal(1, await move.ExecuteNonQueryAsync());
        }

        var listed = await variables.ListAsync(projectId);
        var other = await variables.ListAsync(otherId);

        Assert.Equal([("A", "one", true), ("B", null, false), ("C", "three", true)], listed.Select(v => (v.Key, v.Value, v.CanDecrypt)));
        Assert.False(Assert.Single(other).CanDecrypt);
        var deploy = await Assert.ThrowsAsync<DeploymentException>(() => services.GetRequiredService<IProjectEnvironment>().GetVariablesAsync(projectId));
        Assert.Contains("B cannot be decrypted", deploy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretValues_ValueReferencingAnother_ComposedValueMaskedWhole()
    {
        var contexts = await VariablesTestStore.CreateDatabaseAsync("vars_secret_values");
        var projectId = await VariablesTestStore.AddProjectAsync(contexts, "secretvalues");
        await using var services = VariablesTestStore.StartServices(contexts);
        var variables = services.GetRequiredService<ProjectVariables>();
        await variables.SetManyAsync(projectId, [new("PASSWORD", "hunter2-pw"), new("DATABASE_URL", "postgres://app:${PASSWORD}@db/app")], "tester");

        var values = await new ProjectVariableSecretValues(variables).GetAsync(projectId);

        // The container sees the expanded URL: masking only the password would leave user, host and database readable.
        Assert.Equal("connecting to *** as ***", new SecretMasker(values).Apply("connecting to postgres://app:hunter2-pw@db/app as hunter2-pw"));
    }

    [Fact]
    public async Task SetAsync_InvalidAndPlatformKeys_RefusedWithExplanation()
    {
        var contexts = await VariablesTestStore.CreateDatabaseAsync("vars_refuse");
        var projectId = await VariablesTestStore.AddProjectAsync(contexts, "refuse");
        await using var services = VariablesTestStore.StartServices(contexts);
        var variables = services.GetRequiredService<ProjectVariables>();

        var port = await variables.SetAsync(projectId, "PORT", "8080", "tester");
        var meta = await variables.SetAsync(projectId, "MINIPAAS_PROJECT", "x", "tester");
        var big = await variables.SetAsync(projectId, "BIG", new string('x', VariableRules.MaxValueBytes + 1), "tester");
        var batch = await variables.SetManyAsync(projectId, [new("GOOD", "1"), new("1BAD", "2")], "tester");
        var preload = await variables.SetAsync(projectId, "LD_PRELOAD", "/lib/x.so", "tester");

        Assert.False(port.Succeeded);
        Assert.Contains("project's settings", port.Error, StringComparison.Ordinal);
        Assert.False(meta.Succeeded);
        Assert.Contains("set by MiniPaas", meta.Error, StringComparison.Ordinal);
        Assert.False(big.Succeeded);
        Assert.Contains("64 KB", big.Error, StringComparison.Ordinal);
        Assert.False(batch.Succeeded);
        Assert.StartsWith("1BAD:", batch.Error, StringComparison.Ordinal);
        Assert.True(preload.Succeeded);
        Assert.Contains("LD_PRELOAD", Assert.Single(preload.Warnings), StringComparison.Ordinal);
        Assert.Equal(["LD_PRELOAD"], (await variables.ListAsync(projectId)).Select(v => v.Key));
        Assert.True((await variables.SetAsync(projectId, "BIG", new string('x', VariableRules.MaxValueBytes), "tester")).Succeeded);
    }

    [Fact]
    public async Task Changes_AreAuditedWithActorAndKeyButNeverValue()
    {
        var contexts = await VariablesTestStore.CreateDatabaseAsync("vars_audit");
        var projectId = await VariablesTestStore.AddProjectAsync(contexts, "audit");
        await using var services = VariablesTestStore.StartServices(contexts);
        var variables = services.GetRequiredService<ProjectVariables>();

        await variables.SetAsync(projectId, "DB_PASSWORD", "hunter2", "alice");
        await variables.SetAsync(projectId, "DB_PASSWORD", "hunter3", "bob");
        Assert.True(await variables.DeleteAsync(projectId, "DB_PASSWORD", "carol"));
        Assert.False(await variables.DeleteAsync(projectId, "DB_PASSWORD", "carol"));

        var audit = await variables.ListAuditAsync(projectId);
        Assert.Equal([("DB_PASSWORD", "deleted", "carol"), ("DB_PASSWORD", "updated", "bob"), ("DB_PASSWORD", "created", "alice")],
            audit.Select(a => (a.Key, a.Action, a.Actor)));
        Assert.Equal(audit[0].At, await variables.LastChangedAtAsync(projectId));
        Assert.Empty(await variables.ListAsync(projectId));
    }

    [Fact]
    public async Task GetVariablesAsync_References_ExpandedOnceAndCyclesRefused()
    {
        var contexts = await VariablesTestStore.CreateDatabaseAsync("vars_env");
        var projectId = await VariablesTestStore.AddProjectAsync(contexts, "env");
        await using var services = VariablesTestStore.StartServices(contexts);
        var variables = services.GetRequiredService<ProjectVariables>();
        var environment = services.GetRequiredService<IProjectEnvironment>();
        Assert.IsType<VariablesEnvironment>(environment);

        await variables.SetManyAsync(projectId, [new("HOST", "db"), new("URL", "postgres://${HOST}:5432/$(id)")], "tester");
        var env = await environment.GetVariablesAsync(projectId);
        Assert.Equal("postgres://db:5432/$(id)", env["URL"]);

        await variables.SetAsync(projectId, "HOST", "${URL}", "tester");
        var cycle = await Assert.ThrowsAsync<DeploymentException>(() => environment.GetVariablesAsync(projectId));
        Assert.Contains("cycle", cycle.Message, StringComparison.Ordinal);
        Assert.Contains("HOST → URL → HOST", cycle.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetBuildTimeAsync_Marked_OnlyThoseBecomeBuildArgumentsExpandedAndAudited()
    {
        var contexts = await VariablesTestStore.CreateDatabaseAsync("vars_build");
        var projectId = await VariablesTestStore.AddProjectAsync(contexts, "build");
        await using var services = VariablesTestStore.StartServices(contexts);
        var variables = services.GetRequiredService<ProjectVariables>();
        var environment = services.GetRequiredService<IProjectEnvironment>();
        await variables.SetManyAsync(projectId, [new("API_HOST", "api.local"), new("PUBLIC_URL", "https://${API_HOST}/$(id)"), new("DB_PASSWORD", "hunter2")], "alice");

        Assert.Empty(await environment.GetBuildArgumentsAsync(projectId));
        Assert.True(await variables.SetBuildTimeAsync(projectId, "PUBLIC_URL", true, "bob"));
        Assert.True(await variables.SetBuildTimeAsync(projectId, "PUBLIC_URL", true, "bob"));
        Assert.False(await variables.SetBuildTimeAsync(projectId, "MISSING", true, "bob"));
        await variables.SetAsync(projectId, "PUBLIC_URL", "https://${API_HOST}/v2", "carol");

        Assert.Equal(new Dictionary<string, string> { ["PUBLIC_URL"] = "https://api.local/v2" }, await environment.GetBuildArgumentsAsync(projectId));
        Assert.Equal(3, (await environment.GetVariablesAsync(projectId)).Count);
        Assert.Equal(["PUBLIC_URL"], (await variables.ListAsync(projectId)).Where(v => v.IsBuildTime).Select(v => v.Key));
        var audit = await variables.ListAuditAsync(projectId);
        Assert.Equal(("PUBLIC_URL", ProjectVariables.BuildTimeOnAction, "bob"), (audit[1].Key, audit[1].Action, audit[1].Actor));
        Assert.Single(audit, a => a.Action == ProjectVariables.BuildTimeOnAction);

        Assert.True(await variables.SetBuildTimeAsync(projectId, "PUBLIC_URL", false, "dave"));
        Assert.Empty(await environment.GetBuildArgumentsAsync(projectId));
        Assert.Equal(ProjectVariables.BuildTimeOffAction, (await variables.ListAuditAsync(projectId))[0].Action);
    }
}
