using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MiniPaas.Core.Persistence;

/// <summary>
/// MiniPaas state in PostgreSQL. Tables and columns are snake_case; the mapping of each entity lives in <c>Mapping/</c>.
/// Get instances from <see cref="IDbContextFactory{TContext}"/> and dispose them after each unit of work.
/// </summary>
public sealed class MiniPaasDbContext(DbContextOptions<MiniPaasDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<UserRecord> Users => Set<UserRecord>();

    public DbSet<ProjectRecord> Projects => Set<ProjectRecord>();

    public DbSet<DeploymentRecord> Deployments => Set<DeploymentRecord>();

    public DbSet<EnvVarRecord> EnvVars => Set<EnvVarRecord>();

    public DbSet<EnvVarAuditRecord> EnvVarAudit => Set<EnvVarAuditRecord>();

    public DbSet<VariableScanRecord> VariableScans => Set<VariableScanRecord>();

    /// <summary>The Data Protection key ring (encrypts variable values); back this table up with the rest, values cannot be decrypted without it.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<BuildLogRecord> BuildLogs => Set<BuildLogRecord>();

    public DbSet<RuntimeLogRecord> RuntimeLogs => Set<RuntimeLogRecord>();

    public DbSet<RequestEventRecord> RequestEvents => Set<RequestEventRecord>();

    public DbSet<RequestRollupRecord> RequestRollups => Set<RequestRollupRecord>();

    public DbSet<RequestHourlyRollupRecord> RequestHourlyRollups => Set<RequestHourlyRollupRecord>();

    public DbSet<RequestVisitorRecord> RequestVisitors => Set<RequestVisitorRecord>();

    public DbSet<RequestDailyVisitorRecord> RequestDailyVisitors => Set<RequestDailyVisitorRecord>();

    public DbSet<RequestEventHighWaterRecord> RequestEventHighWater => Set<RequestEventHighWaterRecord>();

    public DbSet<InstallationRecord> Installations => Set<InstallationRecord>();

    public DbSet<ApiTokenRecord> ApiTokens => Set<ApiTokenRecord>();
    public DbSet<ProjectGitHubRecord> ProjectGitHub => Set<ProjectGitHubRecord>();

    public DbSet<GitHubDeliveryRecord> GitHubDeliveries => Set<GitHubDeliveryRecord>();

    public DbSet<AutoDeployClaimRecord> AutoDeployClaims => Set<AutoDeployClaimRecord>();

    public DbSet<OwnerAccountRecord> OwnerAccounts => Set<OwnerAccountRecord>();

    public DbSet<AuditEntryRecord> AuditLog => Set<AuditEntryRecord>();

    /// <summary>The options every MiniPaas context uses: Npgsql, snake_case names, migrations in this assembly.</summary>
    public static DbContextOptions<MiniPaasDbContext> CreateOptions(string connectionString) => CreateOptions(connectionString, []);

    /// <summary><see cref="CreateOptions(string)"/> with EF interceptors added.</summary>
    public static DbContextOptions<MiniPaasDbContext> CreateOptions(string connectionString, IReadOnlyList<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor> interceptors)
    {
        var builder = new DbContextOptionsBuilder<MiniPaasDbContext>()
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
        if (interceptors is { Count: > 0 })
        {
            builder.AddInterceptors(interceptors);
        }

        return builder.Options;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MiniPaasDbContext).Assembly);
    }
}
