using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MiniPaas.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RequestAnalyticsStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "request_events_high_water",
                columns: table => new
                {
                    id = table.Column<short>(type: "smallint", nullable: false),
                    last_seq = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_events_high_water", x => x.id);
                    table.CheckConstraint("ck_request_events_high_water_singleton", "id = 1");
                });

            migrationBuilder.CreateTable(
                name: "request_visitors_daily",
                columns: table => new
                {
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    visitor_id = table.Column<long>(type: "bigint", nullable: false),
                    first_hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_visitors_daily", x => new { x.project_id, x.day, x.visitor_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_request_visitors_daily_day_brin",
                table: "request_visitors_daily",
                column: "day")
                .Annotation("Npgsql:IndexMethod", "brin");

            // Existing data: the seq high-water mark (read while the primary key still indexes seq) and the daily visitor
            // sets, derived from the hourly ones.
            migrationBuilder.Sql("""
                INSERT INTO request_events_high_water (id, last_seq)
                SELECT 1, max(seq) FROM request_events HAVING max(seq) IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                INSERT INTO request_visitors_daily (project_id, day, visitor_id, first_hour, last_hour)
                SELECT project_id, (hour AT TIME ZONE 'UTC')::date, visitor_id, min(hour), max(hour)
                FROM request_visitors GROUP BY 1, 2, 3;
                """);

            // seq stays unique by construction; the index cost binary COPY about a third of its speed.
            migrationBuilder.DropPrimaryKey(
                name: "pk_request_events",
                table: "request_events");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "request_events_high_water");

            migrationBuilder.DropTable(
                name: "request_visitors_daily");

            migrationBuilder.AddPrimaryKey(
                name: "pk_request_events",
                table: "request_events",
                column: "seq");
        }
    }
}
