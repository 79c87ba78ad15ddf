using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class UserMapping : IEntityTypeConfiguration<UserRecord>
{
    public void Configure(EntityTypeBuilder<UserRecord> builder)
    {
        builder.ToTable("users");
        builder.Property(u => u.Id).UseIdentityAlwaysColumn();
        builder.Property(u => u.GitHubId).HasColumnName("github_id");
        builder.HasIndex(u => u.GitHubId).IsUnique();
    }
}
