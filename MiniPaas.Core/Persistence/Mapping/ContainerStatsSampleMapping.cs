using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class ContainerStatsSampleMapping : IEntityTypeConfiguration<ContainerStatsSampleRecord>
{
    public void Configure(EntityTypeBuilder<ContainerStatsSampleRecord> builder)
    {
        builder.ToTable("container_stats_samples");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.ContainerId).HasMaxLength(64);
        // Charts read one project over a time range; retention deletes by time across projects.
        builder.HasIndex(s => new { s.ProjectId, s.Timestamp });
        builder.HasIndex(s => s.Timestamp).HasMethod("brin");
        builder.HasOne<ProjectRecord>().WithMany().HasForeignKey(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        // Samples outlive a pruned deployment: they still describe the project's history.
        builder.HasOne<DeploymentRecord>().WithMany().HasForeignKey(s => s.DeploymentId).OnDelete(DeleteBehavior.SetNull);
    }
}
