using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MiniPaas.Core.ApiTokens;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class ApiTokenMapping : IEntityTypeConfiguration<ApiTokenRecord>
{
    public void Configure(EntityTypeBuilder<ApiTokenRecord> builder)
    {
        builder.ToTable("api_tokens");
        builder.Property(t => t.Id).UseIdentityAlwaysColumn();
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.TokenHash).HasMaxLength(64).IsFixedLength();
        builder.Property(t => t.Prefix).HasMaxLength(16);
        // Stored by name, so the column reads as the README documents it and a reordering of the enum changes nothing.
        builder.Property(t => t.Scope).HasMaxLength(16)
            .HasConversion(scope => scope.Name(), name => ParseScope(name));
        builder.HasIndex(t => t.TokenHash).IsUnique();
    }

    // An unknown name (written by a newer MiniPaas, or by hand) grants the least rather than failing every request.
    private static ApiScope ParseScope(string name) => ApiScopes.TryParse(name, out var scope) ? scope : ApiScope.Read;
}
