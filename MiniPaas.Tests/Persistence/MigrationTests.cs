using Microsoft.EntityFrameworkCore;
using MiniPaas.Core.Persistence;
using MiniPaas.Tests.Shared;
using Npgsql;

namespace MiniPaas.Tests.Persistence;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrate_OnRealPostgres_CreatesTablesAndDashboardIndexes()
    {
        var fixture = await PostgresFixture.GetAsync();
        var factory = (FixedDbContextFactory)await fixture.CreateMigratedContextFactoryAsync(nameof(MigrationTests));

        var tables = await QueryStringsAsync(factory.ConnectionString, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        Assert.Superset(
            new HashSet<string> { "users", "projects", "deployments", "env_vars", "build_logs", "runtime_logs" },
            tables.ToHashSet());

        var indexes = await QueryStringsAsync(factory.ConnectionString, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'");
        Assert.Contains(indexes, i => i.Contains("UNIQUE INDEX ix_projects_subdomain ON public.projects USING btree (subdomain)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("UNIQUE INDEX ix_projects_name ON public.projects USING btree (name)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("UNIQUE INDEX ix_env_vars_project_id_key ON public.env_vars USING btree (project_id, key)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.deployments USING btree (project_id, created_at DESC)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.deployments USING btree (status)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.build_logs USING btree (deployment_id, seq)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.runtime_logs USING btree (project_id, seq)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.runtime_logs USING btree (deployment_id, seq)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.request_events USING btree (project_id, \"timestamp\")", StringComparison.Ordinal));
        Assert.DoesNotContain(indexes, i => i.Contains("ON public.request_events USING btree (seq)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("UNIQUE INDEX pk_request_visitors_daily ON public.request_visitors_daily USING btree (project_id, day, visitor_id)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("ON public.request_events USING brin (\"timestamp\")", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("UNIQUE INDEX pk_request_rollups ON public.request_rollups USING btree (project_id, minute)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("UNIQUE INDEX pk_request_rollups_hourly ON public.request_rollups_hourly USING btree (project_id, hour)", StringComparison.Ordinal));

        var types = await QueryStringsAsync(
            factory.ConnectionString,
            "SELECT table_name || '.' || column_name || ':' || data_type FROM information_schema.columns WHERE table_schema = 'public'");
        Assert.Contains("request_rollups.latency_buckets:ARRAY", types);
        Assert.Contains("deployments.created_at:timestamp with time zone", types);
        Assert.Contains("deployments.status:text", types);
        Assert.Contains("build_logs.seq:bigint", types);
    }

    [Fact]
    public async Task Save_ProjectWithDeploymentLogsAndEvents_RoundTripsAndCascadesOnDelete()
    {
        var fixture = await PostgresFixture.GetAsync();
        var factory = (FixedDbContextFactory)await fixture.CreateMigratedContextFactoryAsync(nameof(Save_ProjectWithDeploymentLogsAndEvents_RoundTripsAndCascadesOnDelete));
        var at = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        await using (var db = factory.CreateDbContext())
        {
            var project = new ProjectRecord { Name = "shop", Subdomain = "shop", SourceUrl = "file:///src/shop", CreatedAt = at, UpdatedAt = at };
            var deployment = new DeploymentRecord { Project = project, Status = DeploymentStatus.Running, CreatedAt = at };
            project.Deployments.Add(deployment);
            db.Projects.Add(project);
            await db.SaveChangesAsync();
            db.EnvVars.Add(new EnvVarRecord { ProjectId = project.Id, Key = "A", EncryptedValue = "x", CreatedAt = at, UpdatedAt = at });
            db.BuildLogs.Add(new BuildLogRecord { Seq = 7, DeploymentId = deployment.Id, Timestamp = at, Line = "Step 1/2" });
            db.RuntimeLogs.Add(new RuntimeLogRecord { Seq = 9, ProjectId = project.Id, DeploymentId = deployment.Id, Timestamp = at, Stream = "stdout", Line = "listening" });
            await db.SaveChangesAsync();

            // request_events is keyless in the model (written by COPY, never through EF): SQL in, EF reads back.
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO request_events (seq, project_id, deployment_id, timestamp, method, path, status, duration_ms, bytes_in, bytes_out, agent_class, visitor_id) VALUES (11, {project.Id}, {deployment.Id}, {at}, 'GET', '/', 200, 1.5, 0, 10, 1, 42)");
        }

        Assert.Equal(["running"], await QueryStringsAsync(factory.ConnectionString, "SELECT status FROM deployments"));
        Assert.Equal(["200"], await QueryStringsAsync(factory.ConnectionString, "SELECT status::text FROM request_events"));
        await using (var db = factory.CreateDbContext())
        {
            var stored = await db.RequestEvents.SingleAsync();
            Assert.Equal((11L, at, "/", (short)200, 42L), (stored.Seq, stored.Timestamp, stored.Path, stored.Status, stored.VisitorId));

            var deployment = await db.Deployments.Include(d => d.Project).SingleAsync();
            Assert.Equal(DeploymentStatus.Running, deployment.Status);
            Assert.Equal(at, deployment.CreatedAt);
            Assert.Equal(7, (await db.BuildLogs.SingleAsync()).Seq);

            db.Projects.Remove(deployment.Project!);
            await db.SaveChangesAsync();
        }

        foreach (var table in new[] { "deployments", "env_vars", "build_logs", "runtime_logs" })
        {
            Assert.Equal(["0"], await QueryStringsAsync(factory.ConnectionString, $"SELECT count(*)::text FROM {table}"));
        }
    }

    [Fact]
    public async Task Save_UnknownStatusText_IsRejectedByCheckConstraint()
    {
        var fixture = await PostgresFixture.GetAsync();
        var factory = (FixedDbContextFactory)await fixture.CreateMigratedContextFactoryAsync(nameof(Save_UnknownStatusText_IsRejectedByCheckConstraint));
        await using (var db = factory.CreateDbContext())
        {
            db.Projects.Add(new ProjectRecord { Name = "p", Subdomain = "p", SourceUrl = "file:///p" });
            await db.SaveChangesAsync();
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => QueryStringsAsync(
            factory.ConnectionString, "INSERT INTO deployments (project_id, status, trigger, restart_count, created_at) SELECT id, 'bogus', 'manual', 0, now() FROM projects RETURNING id::text"));
        Assert.Equal("ck_deployments_status", error.ConstraintName);
    }

    internal static async Task<List<string>> QueryStringsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
