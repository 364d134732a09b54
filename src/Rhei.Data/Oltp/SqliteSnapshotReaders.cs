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
    /// Opens <paramref name="count"/> connections on <paramref name="holder"/>'s snapshot (a rollback-journal file: on
    /// its SHARED lock, see <see cref="OpenLocked"/>), or returns null where SQLite cannot share it: an in-memory or
    /// shared-cache database, a reader that cannot lock a rollback-journal file at once, a provider other than
    /// the bundled e_sqlite3, a snapshot SQLite refuses to open, or (with an empty WAL) a commit that landed while the
    /// readers were opened. The caller then reads on the holder alone.
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
        if (string.IsNullOrEmpty(file))
        {
            // An in-memory or temporary database.
            return null;
        }

        if (!IsWal(db))
        {
            return OpenLocked(file, count);
        }

        // SQLite takes no snapshot of a WAL to which nothing has been written since it was created (a database
        // just opened, or checkpointed and truncated). The holder then reads the database file alone, which cannot
        // change while it reads (nothing can be checkpointed past its view); a reader that also finds no transaction
        // in the WAL sees the very same rows, and one that finds one is given up.
        sqlite3_snapshot? snapshot = null;
        if (raw.sqlite3_snapshot_get(db, "main", out var taken) == raw.SQLITE_OK)
        {
            snapshot = taken;
        }
        else
        {
            taken?.Dispose();
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

    /// <summary>
    /// A rollback-journal database: no writer can commit while the holder keeps its SHARED lock (a commit needs the
    /// EXCLUSIVE lock), so a reader that takes its own SHARED lock meanwhile, and keeps it in an open read transaction,
    /// reads exactly the holder's database. A reader that cannot take it at once (a writer holds PENDING, waiting for
    /// the holder to finish) gives the parallel read up rather than wait, so the writer is never kept waiting longer.
    /// </summary>
    private static SqliteSnapshotReaders? OpenLocked(string file, int count)
    {
        var opened = new List<sqlite3>(count);
        for (var i = 0; i < count; i++)
        {
            var rc = raw.sqlite3_open_v2(file, out var connection, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX, null);
            if (rc != raw.SQLITE_OK
                || raw.sqlite3_exec(connection, "BEGIN") != raw.SQLITE_OK
                || raw.sqlite3_exec(connection, "PRAGMA schema_version") != raw.SQLITE_OK)
            {
                connection?.Dispose();
                Close(opened);
                return null;
            }

            opened.Add(connection);
        }

        return new SqliteSnapshotReaders([.. opened]);
    }

    private static sqlite3? Open(string file, sqlite3_snapshot? snapshot)
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
        var ready = raw.sqlite3_exec(connection, "PRAGMA schema_version") == raw.SQLITE_OK
            && raw.sqlite3_exec(connection, "BEGIN") == raw.SQLITE_OK
            && (snapshot is not null
                ? raw.sqlite3_snapshot_open(connection, "main", snapshot) == raw.SQLITE_OK
                : raw.sqlite3_exec(connection, "PRAGMA schema_version") == raw.SQLITE_OK && !HasWrittenWal(connection));
        if (!ready)
        {
            Close([connection]);
            return null;
        }

        return connection;
    }

    /// <summary>Whether a transaction has been written to the WAL this connection reads (SQLite then takes a snapshot of it).</summary>
    private static bool HasWrittenWal(sqlite3 connection)
    {
        if (raw.sqlite3_snapshot_get(connection, "main", out var snapshot) == raw.SQLITE_OK)
        {
            snapshot.Dispose();
            return true;
        }

        snapshot?.Dispose();
        return false;
    }

    private static bool IsWal(sqlite3 db)
    {
        if (raw.sqlite3_prepare_v2(db, "PRAGMA journal_mode", out var statement) != raw.SQLITE_OK)
        {
            statement?.Dispose();
            return false;
        }

        using (statement)
        {
            return raw.sqlite3_step(statement) == raw.SQLITE_ROW
                && string.Equals(raw.sqlite3_column_text(statement, 0).utf8_to_string(), "wal", StringComparison.OrdinalIgnoreCase);
        }
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
