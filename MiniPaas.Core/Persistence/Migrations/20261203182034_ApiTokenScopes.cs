using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MiniPaas.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ApiTokenScopes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "expires_at",
                table: "api_tokens",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "scope",
                table: "api_tokens",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                // Tokens created before scopes existed could do everything; they keep doing so.
                defaultValue: "admin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "expires_at",
                table: "api_tokens");

            migrationBuilder.DropColumn(
                name: "scope",
                table: "api_tokens");
        }
    }
}
