using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class EnvVarMapping : IEntityTypeConfiguration<EnvVarRecord>
{
    public void Configure(EntityTypeBuilder<EnvVarRecord> builder)
    {
        builder.ToTable("env_vars");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.HasIndex(e => new { e.ProjectId, e.Key }).IsUnique();
        builder.HasOne<ProjectRecord>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
