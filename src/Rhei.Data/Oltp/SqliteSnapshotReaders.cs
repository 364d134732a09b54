using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Rhei.Data.Oltp;

/// <summary>
/// Extra read connections to the SQLite file of a connection that holds a read transaction, each inside a read
/// transaction on exactly that transaction's WAL snapshot (<c>sqlite3_snapshot_get</c> on the holder,
/// <c>sqlite3_snapshot_open</c> on each), so rows read on any of them are rows of one moment, whatever writers commit
/// meanwhile. They are opened read-only and without a mutex (SQLITE_OPEN_NOMUTEX): each is used by one thread at a
/// time, and its column getters then take no lock per cell. The holder's transaction must stay open while they are
/// opened; afterwards each keeps the snapshot on its own.
/// </summary>
internal sealed class SqliteSnapshotReaders : IDisposable
{
    private readonly sqlite3[] _connections;

    private SqliteSnapshotReaders(sqlite3[] connections) => _connections = connections;

    /// <summary>The connections, each in its read transaction on the holder's snapshot.</summary>
    public IReadOnlyList<sqlite3> Connections => _connections;

    /// <summary>
    /// Opens <paramref name="count"/> connections on <paramref name="holder"/>'s snapshot, or returns null where SQLite
    /// cannot share it: an in-memory or shared-cache database, a journal mode other than WAL, a provider other than
    /// the bundled e_sqlite3, or a snapshot SQLite refuses to open. The caller then reads on the holder alone.
    /// </summary>
    /// <param name="holder">A connection inside a read transaction that has read the database (not a write transaction).</param>
    /// <param name="count">How many connections to open.</param>
    public static SqliteSnapshotReaders? TryOpen(SqliteConnection holder, int count)
    {
        if (holder.Handle is not { } db
            || !SqliteRowReader.HasCells
            || new SqliteConnectionStringBuilder(holder.ConnectionString).Cache == SqliteCacheMode.Shared)
        {
            return null;
        }

        var file = raw.sqlite3_db_filename(db, "main").utf8_to_string();
        if (string.IsNullOrEmpty(file) || raw.sqlite3_snapshot_get(db, "main", out var snapshot) != raw.SQLITE_OK)
        {
            // An empty name is an in-memory or temporary database; snapshot_get fails outside WAL mode.
            return null;
        }

        var opened = new List<sqlite3>(count);
        try
        {
            using (snapshot)
            {
                for (var i = 0; i < count; i++)
                {
                    if (Open(file, snapshot) is not { } connection)
                    {
                        Close(opened);
                        return null;
                    }

                    opened.Add(connection);
                }
            }

            return new SqliteSnapshotReaders([.. opened]);
        }
        catch
        {
            Close(opened);
            throw;
        }
    }

    public void Dispose()
    {
        Close(_connections);
    }

    private static sqlite3? Open(string file, sqlite3_snapshot snapshot)
    {
        var rc = raw.sqlite3_open_v2(file, out var connection, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX, null);
        if (rc != raw.SQLITE_OK)
        {
            connection?.Dispose();
            return null;
        }

        // Long enough to wait out a checkpointer holding the WAL index for a moment.
        raw.sqlite3_busy_timeout(connection, 30_000);

        // A first read makes the pager find the WAL (snapshot_open fails on a pager not yet in WAL mode) and loads the
        // schema; then snapshot_open needs a transaction begun but not yet reading, and starts the read itself.
        if (raw.sqlite3_exec(connection, "PRAGMA schema_version") != raw.SQLITE_OK
            || raw.sqlite3_exec(connection, "BEGIN") != raw.SQLITE_OK
            || raw.sqlite3_snapshot_open(connection, "main", snapshot) != raw.SQLITE_OK)
        {
            connection.Dispose();
            return null;
        }

        return connection;
    }

    private static void Close(IEnumerable<sqlite3> connections)
    {
        foreach (var connection in connections)
        {
            // Read-only: ending the transaction only releases the snapshot; closing would too.
            raw.sqlite3_exec(connection, "COMMIT");
            connection.Dispose();
        }
    }
}
