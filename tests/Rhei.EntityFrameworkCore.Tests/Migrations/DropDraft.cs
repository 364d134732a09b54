using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Rhei.EntityFrameworkCore.Tests.Migrations;

/// <summary>SQLite cannot always drop a column in place: EF rebuilds the table (ef_temp_, copy, drop, rename).</summary>
[DbContext(typeof(NotesContext))]
[Migration("20240102000000_DropDraft")]
public sealed class DropDraft : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex("IX_Notes_Stars", "Notes", "Stars");
        migrationBuilder.DropColumn(name: "Draft", table: "Notes");
    }

    // What a designer file would hold: the rebuild needs the table's target shape.
    protected override void BuildTargetModel(ModelBuilder modelBuilder)
        => modelBuilder.Entity("Rhei.EntityFrameworkCore.Tests.Migrations.Note", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("INTEGER");
            b.Property<int>("Stars").HasColumnType("INTEGER");
            b.Property<string>("Title").IsRequired().HasColumnType("TEXT");
            b.HasKey("Id");
            b.HasIndex("Stars");
            b.ToTable("Notes");
        });

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex("IX_Notes_Stars", "Notes");
        migrationBuilder.AddColumn<string>("Draft", "Notes", type: "TEXT", nullable: true);
    }
}
