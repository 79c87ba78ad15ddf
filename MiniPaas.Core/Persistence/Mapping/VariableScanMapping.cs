using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class VariableScanMapping : IEntityTypeConfiguration<VariableScanRecord>
{
    public void Configure(EntityTypeBuilder<VariableScanRecord> builder)
    {
        builder.ToTable("variable_scans");
        builder.HasKey(e => e.ProjectId);
        builder.Property(e => e.ProjectId).ValueGeneratedNever();
        builder.Property(e => e.CommitSha).HasMaxLength(64);
        builder.Property(e => e.Trigger).HasMaxLength(16);
        builder.Property(e => e.Suggestions).HasColumnType("jsonb");
        builder.HasOne<ProjectRecord>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
