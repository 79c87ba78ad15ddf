using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class ProjectGitHubMapping : IEntityTypeConfiguration<ProjectGitHubRecord>
{
    public void Configure(EntityTypeBuilder<ProjectGitHubRecord> builder)
    {
        builder.ToTable("project_github");
        builder.HasKey(p => p.ProjectId);
        builder.Property(p => p.ProjectId).ValueGeneratedNever();
        builder.HasOne<ProjectRecord>().WithOne().HasForeignKey<ProjectGitHubRecord>(p => p.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GitHubDeliveryMapping : IEntityTypeConfiguration<GitHubDeliveryRecord>
{
    public void Configure(EntityTypeBuilder<GitHubDeliveryRecord> builder)
    {
        builder.ToTable("github_deliveries");
        // The primary key is the idempotency guarantee: a second insert of the same delivery fails with a unique violation.
        builder.HasKey(d => d.DeliveryId);
        builder.Property(d => d.DeliveryId).HasMaxLength(100);
        builder.Property(d => d.Event).HasMaxLength(100);
        builder.HasIndex(d => d.ReceivedAt);
        builder.HasOne<ProjectRecord>().WithMany().HasForeignKey(d => d.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AutoDeployClaimMapping : IEntityTypeConfiguration<AutoDeployClaimRecord>
{
    public void Configure(EntityTypeBuilder<AutoDeployClaimRecord> builder)
    {
        builder.ToTable("auto_deploy_claims");
        builder.HasKey(c => new { c.ProjectId, c.CommitSha });
        builder.Property(c => c.CommitSha).HasMaxLength(64);
        builder.HasOne<ProjectRecord>().WithMany().HasForeignKey(c => c.ProjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DeploymentRecord>().WithMany().HasForeignKey(c => c.DeploymentId).OnDelete(DeleteBehavior.SetNull);
    }
}
