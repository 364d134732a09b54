using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Rhei.EntityFrameworkCore.Tests.Migrations;

[DbContext(typeof(NotesContext))]
[Migration("20240101000000_InitialNotes")]
public sealed class InitialNotes : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Notes",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Title = table.Column<string>(type: "TEXT", nullable: false),
                Stars = table.Column<int>(type: "INTEGER", nullable: false),
                Draft = table.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_Notes", x => x.Id));

        migrationBuilder.InsertData("Notes", ["Title", "Stars", "Draft"], ["TEXT", "INTEGER", "TEXT"], new object?[,] { { "seeded", 3, "x" } });
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("Notes");
}
