using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class OwnerAccountMapping : IEntityTypeConfiguration<OwnerAccountRecord>
{
    public void Configure(EntityTypeBuilder<OwnerAccountRecord> builder)
    {
        builder.ToTable("owner_account");
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.PasswordHash).HasMaxLength(512);
        builder.Property(o => o.SetupTokenHash).HasMaxLength(64).IsFixedLength();
    }
}

internal sealed class AuditEntryMapping : IEntityTypeConfiguration<AuditEntryRecord>
{
    public void Configure(EntityTypeBuilder<AuditEntryRecord> builder)
    {
        builder.ToTable("audit_log");
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Action).HasMaxLength(32);
        builder.Property(a => a.Actor).HasMaxLength(255);
        builder.Property(a => a.Target).HasMaxLength(255);
        builder.Property(a => a.RemoteAddress).HasMaxLength(64);
        builder.HasIndex(a => a.At);
    }
}
