using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MiniPaas.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ContainerStatsSamples : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "container_stats_samples",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    deployment_id = table.Column<long>(type: "bigint", nullable: true),
                    container_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    timestamp = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cpu_percent = table.Column<double>(type: "double precision", nullable: true),
                    memory_used_bytes = table.Column<long>(type: "bigint", nullable: false),
                    memory_limit_bytes = table.Column<long>(type: "bigint", nullable: true),
                    network_rx_bytes = table.Column<long>(type: "bigint", nullable: true),
                    network_tx_bytes = table.Column<long>(type: "bigint", nullable: true),
                    block_read_bytes = table.Column<long>(type: "bigint", nullable: false),
                    block_write_bytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_container_stats_samples", x => x.id);
                    table.ForeignKey(
                        name: "fk_container_stats_samples_deployments_deployment_id",
                        column: x => x.deployment_id,
                        principalTable: "deployments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_container_stats_samples_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_container_stats_samples_deployment_id",
                table: "container_stats_samples",
                column: "deployment_id");

            migrationBuilder.CreateIndex(
                name: "ix_container_stats_samples_project_id_timestamp",
                table: "container_stats_samples",
                columns: new[] { "project_id", "timestamp" });

            migrationBuilder.CreateIndex(
                name: "ix_container_stats_samples_timestamp",
                table: "container_stats_samples",
                column: "timestamp")
                .Annotation("Npgsql:IndexMethod", "brin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "container_stats_samples");
        }
    }
}
