using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Rhei.Data.Sync;

/// <summary>
/// SQLite's commit hook on the connections Rhei opens for the application: each commit wakes the background sync loop,
/// so a write made through Rhei reaches the mirror in milliseconds instead of at the next interval. The hook only
/// signals (it runs on the committing thread, inside the commit) and never vetoes a commit. Writers Rhei cannot see
/// (other processes, tools) are still picked up by the loop's interval.
/// </summary>
internal static class CommitSignal
{
    private static readonly delegate_commit s_onCommit = OnCommit;

    /// <summary>Hooks <paramref name="connection"/>'s commits to <paramref name="replication"/>'s loop; nothing when there is no replication.</summary>
    public static void Attach(SqliteConnection connection, LocalReplicator? replication)
    {
        if (replication is not null && connection.Handle is { } handle)
        {
            raw.sqlite3_commit_hook(handle, s_onCommit, replication);
        }
    }

    /// <summary>Removes the hook before the handle goes back to Microsoft.Data.Sqlite's pool, where another engine may take it.</summary>
    public static void Detach(SqliteConnection connection)
    {
        if (connection.Handle is { IsInvalid: false } handle)
        {
            raw.sqlite3_commit_hook(handle, null, null);
        }
    }

    // Zero lets the commit go ahead.
    private static int OnCommit(object replication)
    {
        ((LocalReplicator)replication).NoteCommit();
        return 0;
    }
}
