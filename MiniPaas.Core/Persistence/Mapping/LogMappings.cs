using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

// Log and event rows carry a seq assigned in-process (SequenceGenerator) so live viewers and history share one order;
// the database must not generate it.

internal sealed class BuildLogMapping : IEntityTypeConfiguration<BuildLogRecord>
{
    public void Configure(EntityTypeBuilder<BuildLogRecord> builder)
    {
        builder.ToTable("build_logs");
        builder.HasKey(l => l.Seq);
        builder.Property(l => l.Seq).ValueGeneratedNever();
        builder.HasIndex(l => new { l.DeploymentId, l.Seq });
        builder.HasOne<DeploymentRecord>().WithMany().HasForeignKey(l => l.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RuntimeLogMapping : IEntityTypeConfiguration<RuntimeLogRecord>
{
    public void Configure(EntityTypeBuilder<RuntimeLogRecord> builder)
    {
        builder.ToTable("runtime_logs");
        builder.HasKey(l => l.Seq);
        builder.Property(l => l.Seq).ValueGeneratedNever();
        builder.HasIndex(l => new { l.ProjectId, l.Seq });
        builder.HasIndex(l => new { l.DeploymentId, l.Seq });
        builder.HasOne<ProjectRecord>().WithMany().HasForeignKey(l => l.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DeploymentRecord>().WithMany().HasForeignKey(l => l.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}
