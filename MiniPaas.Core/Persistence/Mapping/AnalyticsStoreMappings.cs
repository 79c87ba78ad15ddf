using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

internal sealed class RequestDailyVisitorMapping : IEntityTypeConfiguration<RequestDailyVisitorRecord>
{
    public void Configure(EntityTypeBuilder<RequestDailyVisitorRecord> builder)
    {
        builder.ToTable("request_visitors_daily");
        builder.HasKey(v => new { v.ProjectId, v.Day, v.VisitorId });
        builder.HasIndex(v => v.Day).HasMethod("brin").HasDatabaseName("ix_request_visitors_daily_day_brin");
    }
}

internal sealed class RequestEventHighWaterMapping : IEntityTypeConfiguration<RequestEventHighWaterRecord>
{
    public void Configure(EntityTypeBuilder<RequestEventHighWaterRecord> builder)
    {
        builder.ToTable("request_events_high_water", t => t.HasCheckConstraint("ck_request_events_high_water_singleton", "id = 1"));
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Id).ValueGeneratedNever();
    }
}
