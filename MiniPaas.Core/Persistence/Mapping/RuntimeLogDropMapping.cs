using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class RuntimeLogDropMapping : IEntityTypeConfiguration<RuntimeLogDropRecord>
{
    public void Configure(EntityTypeBuilder<RuntimeLogDropRecord> builder)
    {
        builder.ToTable("runtime_log_drops");
        builder.HasKey(d => d.DeploymentId);
        builder.Property(d => d.DeploymentId).ValueGeneratedNever();
        builder.HasIndex(d => d.ProjectId);
        builder.HasOne<ProjectRecord>().WithMany().HasForeignKey(d => d.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DeploymentRecord>().WithMany().HasForeignKey(d => d.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}
