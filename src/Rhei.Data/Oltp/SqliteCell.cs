using System.Runtime.CompilerServices;

namespace Rhei.Data.Oltp;

/// <summary>
/// One value of the current row of a <see cref="SqliteRowReader"/> (an unprotected <c>sqlite3_value</c> from
/// <c>sqlite3_column_value</c>), read without the connection's mutex. Valid until the reader moves on; use it on the
/// reader's thread only.
/// </summary>
internal readonly unsafe struct SqliteCell
{
    private readonly nint _value;
    private readonly SqliteRowReader.Columns _columns;

    internal SqliteCell(nint value, SqliteRowReader.Columns columns)
    {
        _value = value;
        _columns = columns;
    }

    /// <summary>The storage class: <see cref="SQLitePCL.raw.SQLITE_INTEGER"/>, FLOAT, TEXT, BLOB or NULL.</summary>
    public int StorageClass
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _columns.ValueType(_value);
    }

    public long Int64 => _columns.ValueInt64(_value);

    public double Double => _columns.ValueDouble(_value);

    /// <summary>The text as UTF-8 as SQLite stores it (possibly not well-formed); text first, then its byte count.</summary>
    public ReadOnlySpan<byte> Utf8
    {
        get
        {
            var bytes = _columns.ValueText(_value);
            var count = _columns.ValueBytes(_value);
            return count == 0 ? default : new ReadOnlySpan<byte>(bytes, count);
        }
    }

    public ReadOnlySpan<byte> Blob
    {
        get
        {
            var bytes = _columns.ValueBlob(_value);
            var count = _columns.ValueBytes(_value);
            return count == 0 ? default : new ReadOnlySpan<byte>(bytes, count);
        }
    }
}
