using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Rhei.Data.Oltp;

/// <summary>
/// A read-only statement on an open connection's native handle, read by storage class. The sync's
/// hot loops read millions of values: this skips Microsoft.Data.Sqlite's boxing (GetValue), its
/// string decoding for text headed for DuckDB (UTF-8 goes across as bytes) and its per-row checks.
/// It runs inside whatever transaction the connection has open, so it sees the caller's snapshot.
/// </summary>
internal sealed class SqliteRowReader : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteRowReader(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        _statement = statement!;
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, string value) => Check(raw.sqlite3_bind_text(_statement, index, value));

    /// <summary>Moves to the next row; false when there is none.</summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        return false;
    }

    /// <summary>The value's storage class: <see cref="raw.SQLITE_INTEGER"/>, FLOAT, TEXT, BLOB or NULL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int StorageClass(int column) => raw.sqlite3_column_type(_statement, column);

    public bool IsNull(int column) => StorageClass(column) == raw.SQLITE_NULL;

    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    public double GetDouble(int column) => raw.sqlite3_column_double(_statement, column);

    /// <summary>The text as UTF-8, valid until the next read; as SQLite stores it, so possibly not well-formed.</summary>
    public unsafe ReadOnlySpan<byte> GetUtf8(int column)
    {
        // sqlite3_column_text first (it converts a UTF-16 database's text), then the byte count of that form.
        var text = raw.sqlite3_column_text(_statement, column);
        var length = raw.sqlite3_column_bytes(_statement, column);
        return length == 0 ? default : new ReadOnlySpan<byte>(Unsafe.AsPointer(ref Unsafe.AsRef(in text.GetPinnableReference())), length);
    }

    /// <summary>Decodes like Microsoft.Data.Sqlite's GetString: ill-formed UTF-8 becomes U+FFFD.</summary>
    public string GetString(int column) => Encoding.UTF8.GetString(GetUtf8(column));

    /// <summary>The blob's bytes, valid until the next read.</summary>
    public ReadOnlySpan<byte> GetBlob(int column) => raw.sqlite3_column_blob(_statement, column);

    /// <summary>The value as Microsoft.Data.Sqlite's GetValue returns it, with NULL as null.</summary>
    public object? GetValue(int column) => StorageClass(column) switch
    {
        raw.SQLITE_INTEGER => GetInt64(column),
        raw.SQLITE_FLOAT => GetDouble(column),
        raw.SQLITE_TEXT => GetString(column),
        raw.SQLITE_BLOB => GetBlob(column).ToArray(),
        _ => null,
    };

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
