using Microsoft.EntityFrameworkCore;
using Rhei.Data;
using Rhei.EntityFrameworkCore.Tests.Migrations;

namespace Rhei.EntityFrameworkCore.Tests;

public sealed class MigrationTest
{
    [Fact]
    public void Migrate_on_a_fresh_file_applies_every_migration()
    {
        using var db = new TempDatabase();
        using (var context = new NotesContext(db.ConnectionString))
        {
            Assert.False(File.Exists(db.FilePath));
            context.Database.Migrate();
            Assert.Equal(["20240101000000_InitialNotes", "20240102000000_DropDraft"], context.Database.GetAppliedMigrations());
            Assert.Empty(context.Database.GetPendingMigrations());
        }

        AssertNotesWork(db);
    }

    [Fact]
    public void Migrate_on_an_existing_database_with_data_and_twice()
    {
        using var db = new TempDatabase();
        using (var connection = new RheiConnection(db.ConnectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE legacy (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO legacy VALUES (1, 'kept');";
            command.ExecuteNonQuery();
        }

        using (var context = new NotesContext(db.ConnectionString))
        {
            context.Database.Migrate();
            context.Database.Migrate();
            Assert.Equal(2, context.Database.GetAppliedMigrations().Count());
            Assert.Equal("kept", context.Database.SqlQueryRaw<string>("SELECT v AS \"Value\" FROM legacy").Single());
        }

        AssertNotesWork(db);
    }

    private static void AssertNotesWork(TempDatabase db)
    {
        using var context = new NotesContext(db.ConnectionString);
        context.Notes.Add(new Note { Title = "b", Stars = 5 });
        context.Notes.Add(new Note { Title = "c", Stars = 5 });
        context.SaveChanges();

        Assert.Equal(["b", "c", "seeded"], context.Notes.Select(n => n.Title).OrderBy(t => t).ToList());
        // Analytical read after the rebuild (ef_temp_ copy, drop, rename): same answer from the mirror.
        var byStars = context.Notes.GroupBy(n => n.Stars).Select(g => new { g.Key, N = g.Count() }).OrderBy(x => x.Key).ToList();
        Assert.Equal([new { Key = 3, N = 1 }, new { Key = 5, N = 2 }], byStars);
    }
}
