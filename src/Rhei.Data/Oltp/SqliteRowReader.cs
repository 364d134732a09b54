using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
internal sealed unsafe class SqliteRowReader : IDisposable
{
    private static readonly Columns? s_columns = Columns.Load();

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    // The native statement, for the column getters called straight through s_columns; the reference taken
    // on the handle keeps it from being finalized while this reader uses it.
    private readonly nint _handle;
    private bool _addedReference;

    // What each parameter holds, by index (see Bind).
    private BoundValue?[]? _bound;

    public SqliteRowReader(SqliteConnection connection, string sql)
        : this(connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open."), sql, mutexFree: false)
    {
    }

    /// <param name="db">An open connection's handle, used by this reader's thread only while it reads.</param>
    /// <param name="sql">The read-only statement.</param>
    /// <param name="mutexFree">Whether the connection was opened with SQLITE_OPEN_NOMUTEX (see <see cref="MutexFree"/>).</param>
    public SqliteRowReader(sqlite3 db, string sql, bool mutexFree)
    {
        _db = db;
        MutexFree = mutexFree;
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        _statement = statement!;
        if (s_columns is not null)
        {
            _statement.DangerousAddRef(ref _addedReference);
            _handle = _statement.DangerousGetHandle();
        }
    }

    /// <summary>
    /// Whether the connection has no mutex (opened with SQLITE_OPEN_NOMUTEX): then each column getter costs no
    /// lock, and reading a cell through them is cheaper than through <see cref="Cell"/>.
    /// </summary>
    public bool MutexFree { get; }

    /// <summary>How many times SQLite has compiled the statement again since it was prepared (SQLITE_STMTSTATUS_REPREPARE).</summary>
    public int Recompiles => raw.sqlite3_stmt_status(_statement, StatementStatusReprepare, 0);

    private const int StatementStatusReprepare = 5;

    /// <summary>Rewinds the statement so it can run again, keeping its bindings.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    /// <summary>
    /// Binds ?<paramref name="index"/>, unless it holds that value already (bindings outlive <see cref="Reset"/>). SQLite
    /// reads some bound values while it plans, a <c>LIMIT ?n</c> among them, and a new bind of such a parameter, even to
    /// the same value, expires the statement, which is then compiled again at its next step: the log read's
    /// <c>LIMIT ?2</c>, the same batch size every time, cost a compile per read (35 µs of a one-event read's 40).
    /// </summary>
    public void Bind(int index, long value)
    {
        if (_bound is not null && index < _bound.Length && _bound[index] is { IsText: false } bound && bound.Integer == value)
        {
            return;
        }

        Check(raw.sqlite3_bind_int64(_statement, index, value));
        Remember(index, new BoundValue(false, value, null));
    }

    /// <inheritdoc cref="Bind(int, long)"/>
    public void Bind(int index, string value)
    {
        if (_bound is not null && index < _bound.Length && _bound[index] is { IsText: true } bound && string.Equals(bound.Text, value, StringComparison.Ordinal))
        {
            return;
        }

        Check(raw.sqlite3_bind_text(_statement, index, value));
        Remember(index, new BoundValue(true, 0, value));
    }

    private void Remember(int index, BoundValue value)
    {
        if (_bound is null || index >= _bound.Length)
        {
            Array.Resize(ref _bound, Math.Max(index + 1, 4));
        }

        _bound[index] = value;
    }

    /// <summary>Moves to the next row; false when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        var rc = s_columns is { } c ? c.Step(_handle) : raw.sqlite3_step(_statement);
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
    public int StorageClass(int column) => s_columns is { } c ? c.Type(_handle, column) : raw.sqlite3_column_type(_statement, column);

    public bool IsNull(int column) => StorageClass(column) == raw.SQLITE_NULL;

    public long GetInt64(int column) => s_columns is { } c ? c.Int64(_handle, column) : raw.sqlite3_column_int64(_statement, column);

    public double GetDouble(int column) => s_columns is { } c ? c.Double(_handle, column) : raw.sqlite3_column_double(_statement, column);

    /// <summary>
    /// The current row's value of a column as a <see cref="SqliteCell"/>: one call that takes the connection's mutex
    /// per cell, after which its storage class and value are read without it (sqlite3_value_*). The column getters
    /// above take and release the mutex on every call, two or three times per cell, which was most of the cost of
    /// reading a wide table. Null when the reader runs on SQLitePCL's calls (another provider).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SqliteCell? Cell(int column) => s_columns is { } c ? new SqliteCell(c.Value(_handle, column), c) : null;

    /// <summary>Whether <see cref="Cell"/> is available: SQLite's exports were found.</summary>
    public static bool HasCells => s_columns is not null;

    /// <summary>The text as UTF-8, valid until the next read; as SQLite stores it, so possibly not well-formed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> GetUtf8(int column)
    {
        // sqlite3_column_text first (it converts a UTF-16 database's text), then the byte count of that form.
        if (s_columns is { } c)
        {
            var bytes = c.Text(_handle, column);
            var count = c.Bytes(_handle, column);
            return count == 0 ? default : new ReadOnlySpan<byte>(bytes, count);
        }

        var text = raw.sqlite3_column_text(_statement, column);
        var length = raw.sqlite3_column_bytes(_statement, column);
        return length == 0 ? default : new ReadOnlySpan<byte>(Unsafe.AsPointer(ref Unsafe.AsRef(in text.GetPinnableReference())), length);
    }

    /// <summary>Decodes like Microsoft.Data.Sqlite's GetString: ill-formed UTF-8 becomes U+FFFD.</summary>
    public string GetString(int column) => Encoding.UTF8.GetString(GetUtf8(column));

    /// <summary>The blob's bytes, valid until the next read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> GetBlob(int column)
    {
        if (s_columns is { } c)
        {
            var bytes = c.Blob(_handle, column);
            var count = c.Bytes(_handle, column);
            return count == 0 ? default : new ReadOnlySpan<byte>(bytes, count);
        }

        return raw.sqlite3_column_blob(_statement, column);
    }

    /// <summary>The value as Microsoft.Data.Sqlite's GetValue returns it, with NULL as null.</summary>
    public object? GetValue(int column)
    {
        if (Cell(column) is not { } cell)
        {
            return GetValueByColumn(column);
        }

        // One mutex-taking call per cell instead of two or three.
        return cell.StorageClass switch
        {
            raw.SQLITE_INTEGER => cell.Int64,
            raw.SQLITE_FLOAT => cell.Double,
            raw.SQLITE_TEXT => Encoding.UTF8.GetString(cell.Utf8),
            raw.SQLITE_BLOB => cell.Blob.ToArray(),
            _ => null,
        };
    }

    private object? GetValueByColumn(int column) => StorageClass(column) switch
    {
        raw.SQLITE_INTEGER => GetInt64(column),
        raw.SQLITE_FLOAT => GetDouble(column),
        raw.SQLITE_TEXT => GetString(column),
        raw.SQLITE_BLOB => GetBlob(column).ToArray(),
        _ => null,
    };

    public void Dispose()
    {
        if (_addedReference)
        {
            _addedReference = false;
            _statement.DangerousRelease();
        }

        _statement.Dispose();
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    /// <summary>
    /// SQLite's step and column getters as plain function pointers. Through SQLitePCL each is an interface call and a
    /// P/Invoke that marshals the statement's SafeHandle (a reference count up and down), several times per row and
    /// column: the better part of reading a narrow table. The getters only read the current row and never call
    /// back into managed code, so they also skip the GC transition. The exports come from the library SQLitePCL's
    /// provider loads, resolved as its own P/Invokes are, so handles stay within one copy of SQLite; with any
    /// other provider, or if that fails, the reader keeps to SQLitePCL's calls.
    /// </summary>
    internal sealed class Columns
    {
        private Columns(nint library)
        {
            Step = (delegate* unmanaged[Cdecl]<nint, int>)NativeLibrary.GetExport(library, "sqlite3_step");
            Type = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int>)NativeLibrary.GetExport(library, "sqlite3_column_type");
            Int64 = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, long>)NativeLibrary.GetExport(library, "sqlite3_column_int64");
            Double = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, double>)NativeLibrary.GetExport(library, "sqlite3_column_double");
            Text = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, byte*>)NativeLibrary.GetExport(library, "sqlite3_column_text");
            Blob = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, byte*>)NativeLibrary.GetExport(library, "sqlite3_column_blob");
            Bytes = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int>)NativeLibrary.GetExport(library, "sqlite3_column_bytes");
            Value = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, nint>)NativeLibrary.GetExport(library, "sqlite3_column_value");
            ValueType = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int>)NativeLibrary.GetExport(library, "sqlite3_value_type");
            ValueInt64 = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, long>)NativeLibrary.GetExport(library, "sqlite3_value_int64");
            ValueDouble = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, double>)NativeLibrary.GetExport(library, "sqlite3_value_double");
            ValueText = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, byte*>)NativeLibrary.GetExport(library, "sqlite3_value_text");
            ValueBlob = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, byte*>)NativeLibrary.GetExport(library, "sqlite3_value_blob");
            ValueBytes = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int>)NativeLibrary.GetExport(library, "sqlite3_value_bytes");
        }

        // Not without the GC transition: a step runs the query, for as long as it takes, and user functions in it.
        public delegate* unmanaged[Cdecl]<nint, int> Step { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int> Type { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, long> Int64 { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, double> Double { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, byte*> Text { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, byte*> Blob { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, int> Bytes { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int, nint> Value { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int> ValueType { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, long> ValueInt64 { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, double> ValueDouble { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, byte*> ValueText { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, byte*> ValueBlob { get; }

        public delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, int> ValueBytes { get; }

        public static Columns? Load()
        {
            try
            {
                if (raw.GetNativeLibraryName() != "e_sqlite3")
                {
                    return null;
                }

                var library = NativeLibrary.Load("e_sqlite3", typeof(SQLite3Provider_e_sqlite3).Assembly, null);
                return new Columns(library);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException)
            {
                return null;
            }
        }
    }

    private readonly record struct BoundValue(bool IsText, long Integer, string? Text);
}
