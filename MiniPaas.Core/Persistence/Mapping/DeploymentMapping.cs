using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class DeploymentMapping : IEntityTypeConfiguration<DeploymentRecord>
{
    public void Configure(EntityTypeBuilder<DeploymentRecord> builder)
    {
        builder.ToTable("deployments", t => t.HasCheckConstraint(
            "ck_deployments_status",
            "status IN (" + string.Join(", ", Enum.GetNames<DeploymentStatus>().Select(n => $"'{n.ToLowerInvariant()}'")) + ")"));
        builder.Property(d => d.Id).UseIdentityAlwaysColumn();

        // Lowercase text keeps the column readable from psql and stable when enum members are reordered.
        builder.Property(d => d.Status)
            .HasConversion(s => s.ToString().ToLowerInvariant(), s => Enum.Parse<DeploymentStatus>(s, ignoreCase: true));
        builder.HasIndex(d => new { d.ProjectId, d.CreatedAt }).IsDescending(false, true);
        builder.HasIndex(d => d.Status);

        // Rollback source may be pruned later; the rollback itself stays.
        builder.HasOne<DeploymentRecord>().WithMany().HasForeignKey(d => d.RollbackOfDeploymentId).OnDelete(DeleteBehavior.SetNull);
    }
}
