using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MiniPaas.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class GitHub : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "auto_deploy_claims",
                columns: table => new
                {
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    commit_sha = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    trigger = table.Column<string>(type: "text", nullable: false),
                    deployment_id = table.Column<long>(type: "bigint", nullable: true),
                    claimed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_auto_deploy_claims", x => new { x.project_id, x.commit_sha });
                    table.ForeignKey(
                        name: "fk_auto_deploy_claims_deployments_deployment_id",
                        column: x => x.deployment_id,
                        principalTable: "deployments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_auto_deploy_claims_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "github_deliveries",
                columns: table => new
                {
                    delivery_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(100)", maxLength: 100, nullable: false),
                    project_id = table.Column<long>(type: "bigint", nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    outcome = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_github_deliveries", x => x.delivery_id);
                    table.ForeignKey(
                        name: "fk_github_deliveries_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "project_github",
                columns: table => new
                {
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    encrypted_webhook_secret = table.Column<string>(type: "text", nullable: true),
                    hook_id = table.Column<long>(type: "bigint", nullable: true),
                    last_polled_sha = table.Column<string>(type: "text", nullable: true),
                    last_polled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_poll_error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_project_github", x => x.project_id);
                    table.ForeignKey(
                        name: "fk_project_github_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_auto_deploy_claims_deployment_id",
                table: "auto_deploy_claims",
                column: "deployment_id");

            migrationBuilder.CreateIndex(
                name: "ix_github_deliveries_project_id",
                table: "github_deliveries",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_github_deliveries_received_at",
                table: "github_deliveries",
                column: "received_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "auto_deploy_claims");

            migrationBuilder.DropTable(
                name: "github_deliveries");

            migrationBuilder.DropTable(
                name: "project_github");
        }
    }
}
