using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MiniPaas.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class VariableSecretFlag : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Existing variables become secrets: until now every value was masked, and its value may be a password that
            // SQL cannot recognise (values are encrypted). Nothing that was hidden becomes visible by upgrading; the owner
            // turns the flag off for plain settings. New rows always get the flag from the application (SecretRule).
            migrationBuilder.AddColumn<bool>(
                name: "is_secret",
                table: "env_vars",
                type: "boolean",
                nullable: false,
                defaultValue: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "is_secret",
                table: "env_vars");
        }
    }
}
