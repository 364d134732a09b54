using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Rhei.EntityFrameworkCore.Tests.Migrations;

/// <summary>A context migrated by hand-written migrations (no design-time tooling, no model snapshot).</summary>
public sealed class NotesContext(string connectionString) : DbContext
{
    public DbSet<Note> Notes => Set<Note>();

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
        => optionsBuilder
            .UseRhei(connectionString)
            // There is no model snapshot to compare with; the migrations below are the model's history.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}
