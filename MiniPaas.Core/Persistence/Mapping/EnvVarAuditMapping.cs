using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class EnvVarAuditMapping : IEntityTypeConfiguration<EnvVarAuditRecord>
{
    public void Configure(EntityTypeBuilder<EnvVarAuditRecord> builder)
    {
        builder.ToTable("env_var_audit");
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Key).HasMaxLength(255);
        builder.Property(e => e.Action).HasMaxLength(16);
        builder.Property(e => e.Actor).HasMaxLength(255);
        builder.HasIndex(e => new { e.ProjectId, e.At });
        builder.HasOne<ProjectRecord>().WithMany().HasForeignKey(e => e.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DataProtectionKeyMapping : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder) => builder.ToTable("data_protection_keys");
}
