using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Rhei.Data.Oltp;

/// <summary>
/// The Strong read's check of the change log's latest position, on a connection of its own that never writes. Two
/// statements stay prepared for the connection's life: <c>PRAGMA data_version</c>, which changes whenever another
/// connection (in this process or any other) commits to the file, and the log's high-water query. While the data
/// version is the one of the last check, nothing was committed since and the position read then still holds, so the
/// check with nothing pending is one prepared PRAGMA step; otherwise the position is read again. Not thread-safe: the
/// owner serializes calls.
/// </summary>
internal sealed class ChangeLogProbe : IDisposable
{
    private readonly SqliteConnection _connection;
    private sqlite3_stmt? _dataVersion;
    private sqlite3_stmt? _highWater;
    private long _seenVersion;
    private long _seenPosition;
    private bool _seen;

    /// <param name="connection">An open connection used for nothing else (its own commits would not change the data version).</param>
    public ChangeLogProbe(SqliteConnection connection) => _connection = connection;

    /// <summary>The highest sequence number the change log has handed out, as <see cref="ReplicationTables.MaxSequence"/> reads it.</summary>
    /// <exception cref="SqliteException">The log cannot be read (for example, it was dropped outside Rhei.Data).</exception>
    public long LatestPosition()
    {
        try
        {
            var version = StepScalar(_dataVersion ??= Prepare("PRAGMA data_version"));
            if (_seen && version == _seenVersion)
            {
                return _seenPosition;
            }

            // The version is read first: a commit between the two statements shows in the position now and in the
            // version next time, so the cached position is never older than the version it is kept under.
            var position = StepScalar(_highWater ??= Prepare(ReplicationTables.MaxSequenceSql(_connection)));
            (_seenVersion, _seenPosition, _seen) = (version, position, true);
            return position;
        }
        catch (SqliteException)
        {
            // Prepared again next time: the log may be recreated (the pipeline repairs what was dropped).
            Reset();
            throw;
        }
    }

    public void Dispose() => Reset();

    private void Reset()
    {
        _seen = false;
        _dataVersion?.Dispose();
        _dataVersion = null;
        _highWater?.Dispose();
        _highWater = null;
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var db = Handle();
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            throw Failure(db, rc);
        }

        return statement;
    }

    private long StepScalar(sqlite3_stmt statement)
    {
        try
        {
            var rc = raw.sqlite3_step(statement);
            if (rc == raw.SQLITE_ROW)
            {
                return raw.sqlite3_column_int64(statement, 0);
            }

            if (rc != raw.SQLITE_DONE)
            {
                throw Failure(Handle(), rc);
            }

            return 0;
        }
        finally
        {
            // Ends the statement's read transaction at once, so the probe never holds a WAL snapshot back.
            raw.sqlite3_reset(statement);
        }
    }

    private sqlite3 Handle() => _connection.Handle ?? throw new InvalidOperationException("The change-log probe's SQLite connection is not open.");

    private static SqliteException Failure(sqlite3 db, int rc)
        => new(raw.sqlite3_errmsg(db).utf8_to_string() ?? raw.sqlite3_errstr(rc).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
}
