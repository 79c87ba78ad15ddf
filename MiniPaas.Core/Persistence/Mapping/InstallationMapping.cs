using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class InstallationMapping : IEntityTypeConfiguration<InstallationRecord>
{
    public void Configure(EntityTypeBuilder<InstallationRecord> builder)
    {
        builder.ToTable("installation");
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.HasIndex(i => i.InstanceId).IsUnique();
    }
}
