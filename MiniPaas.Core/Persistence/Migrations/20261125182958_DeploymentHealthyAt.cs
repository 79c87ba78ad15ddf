using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MiniPaas.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DeploymentHealthyAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "healthy_at",
                table: "deployments",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "healthy_at",
                table: "deployments");
        }
    }
}
