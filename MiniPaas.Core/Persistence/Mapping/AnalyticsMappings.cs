using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MiniPaas.Core.Persistence.Mapping;

// No foreign keys on the analytics tables: a key check per row would cost the COPY path a large share of its speed,
// and rows of a deleted project simply age out through retention (project ids are never reused).

internal sealed class RequestEventMapping : IEntityTypeConfiguration<RequestEventRecord>
{
    public void Configure(EntityTypeBuilder<RequestEventRecord> builder)
    {
        builder.ToTable("request_events");
        // No key: seq is unique by construction (one in-process sequence), and a unique index on it cost COPY about a
        // third of its speed. Nothing updates or deletes rows through EF; retention deletes by time in SQL.
        builder.HasNoKey();

        // Per-project reads of raw rows (top paths and referrers, the ingestor's "is this batch stored?" probe).
        builder.HasIndex(e => new { e.ProjectId, e.Timestamp });

        // Rows arrive in time order, so a BRIN index on time is tiny and lets retention find old rows without a b-tree.
        builder.HasIndex(e => e.Timestamp).HasMethod("brin").HasDatabaseName("ix_request_events_timestamp_brin");
    }
}

internal sealed class RequestRollupMapping : IEntityTypeConfiguration<RequestRollupRecord>
{
    public void Configure(EntityTypeBuilder<RequestRollupRecord> builder)
    {
        builder.ToTable("request_rollups");
        builder.HasKey(r => new { r.ProjectId, r.Minute });
        builder.HasIndex(r => r.Minute).HasMethod("brin").HasDatabaseName("ix_request_rollups_minute_brin");
    }
}

internal sealed class RequestHourlyRollupMapping : IEntityTypeConfiguration<RequestHourlyRollupRecord>
{
    public void Configure(EntityTypeBuilder<RequestHourlyRollupRecord> builder)
    {
        builder.ToTable("request_rollups_hourly");
        builder.HasKey(r => new { r.ProjectId, r.Hour });
        builder.HasIndex(r => r.Hour).HasMethod("brin").HasDatabaseName("ix_request_rollups_hourly_hour_brin");
    }
}

internal sealed class RequestVisitorMapping : IEntityTypeConfiguration<RequestVisitorRecord>
{
    public void Configure(EntityTypeBuilder<RequestVisitorRecord> builder)
    {
        builder.ToTable("request_visitors");
        builder.HasKey(v => new { v.ProjectId, v.Hour, v.VisitorId });
        builder.HasIndex(v => v.Hour).HasMethod("brin").HasDatabaseName("ix_request_visitors_hour_brin");
    }
}
