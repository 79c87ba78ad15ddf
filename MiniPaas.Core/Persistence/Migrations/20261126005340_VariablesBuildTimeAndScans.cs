using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MiniPaas.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VariablesBuildTimeAndScans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Not a rename: is_secret was true on every row, and no existing variable may silently become a build argument.
            migrationBuilder.DropColumn(
                name: "is_secret",
                table: "env_vars");

            migrationBuilder.AddColumn<bool>(
                name: "is_build_time",
                table: "env_vars",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "variable_scans",
                columns: table => new
                {
                    project_id = table.Column<long>(type: "bigint", nullable: false),
                    commit_sha = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    trigger = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    scanned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    suggestions = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_variable_scans", x => x.project_id);
                    table.ForeignKey(
                        name: "fk_variable_scans_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "variable_scans");

            migrationBuilder.DropColumn(
                name: "is_build_time",
                table: "env_vars");

            migrationBuilder.AddColumn<bool>(
                name: "is_secret",
                table: "env_vars",
                type: "boolean",
                nullable: false,
                defaultValue: true);
        }
    }
}
