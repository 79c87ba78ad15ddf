using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MiniPaas.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RequestAnalytics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analytics_events");

            migrationBuilder.CreateTable(
                name: "request_events",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false),
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    deployment_id = table.Column<long>(type: "bigint", nullable: true),
                    timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    method = table.Column<string>(type: "text", nullable: false),
                    path = table.Column<string>(type: "text", nullable: false),
                    query = table.Column<string>(type: "text", nullable: true),
                    status = table.Column<short>(type: "smallint", nullable: false),
                    duration_ms = table.Column<float>(type: "real", nullable: false),
                    bytes_in = table.Column<long>(type: "bigint", nullable: false),
                    bytes_out = table.Column<long>(type: "bigint", nullable: false),
                    referrer_host = table.Column<string>(type: "text", nullable: true),
                    agent_class = table.Column<short>(type: "smallint", nullable: false),
                    visitor_id = table.Column<long>(type: "bigint", nullable: false),
                    client_ip = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_events", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "request_rollups",
                columns: table => new
                {
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    minute = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false),
                    status_other = table.Column<long>(type: "bigint", nullable: false),
                    status2xx = table.Column<long>(type: "bigint", nullable: false),
                    status3xx = table.Column<long>(type: "bigint", nullable: false),
                    status4xx = table.Column<long>(type: "bigint", nullable: false),
                    status5xx = table.Column<long>(type: "bigint", nullable: false),
                    browsers = table.Column<long>(type: "bigint", nullable: false),
                    bots = table.Column<long>(type: "bigint", nullable: false),
                    other_agents = table.Column<long>(type: "bigint", nullable: false),
                    bytes_in = table.Column<long>(type: "bigint", nullable: false),
                    bytes_out = table.Column<long>(type: "bigint", nullable: false),
                    duration_sum_ms = table.Column<double>(type: "double precision", nullable: false),
                    latency_buckets = table.Column<long[]>(type: "bigint[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_rollups", x => new { x.project_id, x.minute });
                });

            migrationBuilder.CreateTable(
                name: "request_rollups_hourly",
                columns: table => new
                {
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false),
                    status_other = table.Column<long>(type: "bigint", nullable: false),
                    status2xx = table.Column<long>(type: "bigint", nullable: false),
                    status3xx = table.Column<long>(type: "bigint", nullable: false),
                    status4xx = table.Column<long>(type: "bigint", nullable: false),
                    status5xx = table.Column<long>(type: "bigint", nullable: false),
                    browsers = table.Column<long>(type: "bigint", nullable: false),
                    bots = table.Column<long>(type: "bigint", nullable: false),
                    other_agents = table.Column<long>(type: "bigint", nullable: false),
                    bytes_in = table.Column<long>(type: "bigint", nullable: false),
                    bytes_out = table.Column<long>(type: "bigint", nullable: false),
                    duration_sum_ms = table.Column<double>(type: "double precision", nullable: false),
                    latency_buckets = table.Column<long[]>(type: "bigint[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_rollups_hourly", x => new { x.project_id, x.hour });
                });

            migrationBuilder.CreateTable(
                name: "request_visitors",
                columns: table => new
                {
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    hour = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    visitor_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_request_visitors", x => new { x.project_id, x.hour, x.visitor_id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_request_events_project_id_timestamp",
                table: "request_events",
                columns: new[] { "project_id", "timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_request_events_timestamp_brin",
                table: "request_events",
                column: "timestamp")
                .Annotation("Npgsql:IndexMethod", "brin");

            migrationBuilder.CreateIndex(
                name: "ix_request_rollups_minute_brin",
                table: "request_rollups",
                column: "minute")
                .Annotation("Npgsql:IndexMethod", "brin");

            migrationBuilder.CreateIndex(
                name: "ix_request_rollups_hourly_hour_brin",
                table: "request_rollups_hourly",
                column: "hour")
                .Annotation("Npgsql:IndexMethod", "brin");

            migrationBuilder.CreateIndex(
                name: "ix_request_visitors_hour_brin",
                table: "request_visitors",
                column: "hour")
                .Annotation("Npgsql:IndexMethod", "brin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "request_events");

            migrationBuilder.DropTable(
                name: "request_rollups");

            migrationBuilder.DropTable(
                name: "request_rollups_hourly");

            migrationBuilder.DropTable(
                name: "request_visitors");

            migrationBuilder.CreateTable(
                name: "analytics_events",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false),
                    data = table.Column<string>(type: "jsonb", nullable: false),
                    deployment_id = table.Column<long>(type: "bigint", nullable: true),
                    kind = table.Column<string>(type: "text", nullable: false),
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_analytics_events", x => x.seq);
                    table.ForeignKey(
                        name: "fk_analytics_events_deployments_deployment_id",
                        column: x => x.deployment_id,
                        principalTable: "deployments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_analytics_events_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_analytics_events_deployment_id",
                table: "analytics_events",
                column: "deployment_id");

            migrationBuilder.CreateIndex(
                name: "ix_analytics_events_project_id_kind_timestamp",
                table: "analytics_events",
                columns: new[] { "project_id", "kind", "timestamp" });
        }
    }
}
