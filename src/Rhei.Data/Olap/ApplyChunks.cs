using System.Text;
using System.Text.Unicode;
using DuckDB.NET.Native;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using SQLitePCL;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Olap;

/// <summary>
/// The new row images (destructive) or versions (temporal) of one table's batch, written while the change log is read
/// straight into DuckDB data chunks of the mirror's column types, and appended whole to the mirror at apply time
/// (<see cref="DuckDbAppender.AppendDataChunk"/>). The log is read in a SQLite transaction that ends before the DuckDB
/// one begins, so the values are copied once, out of SQLite's cells into the vectors (text and blobs longer than
/// DuckDB's inline 12 bytes into a <see cref="MirrorLoadHeap"/>): no object per row, no boxed value per cell, no
/// managed string per text. The same rule as the initial load's <see cref="MirrorLoadBatch"/>: each mirror column
/// takes exactly one storage class, any other is a misfit for the caller to quarantine, never converted.
/// A temporal mirror's three trailing columns (valid from, valid to, operation) are set per row once the batch's
/// versions are chained (<see cref="SetVersion"/>).
/// </summary>
internal sealed unsafe partial class ApplyChunks : IDisposable
{
    private const int Capacity = MirrorLoadBatch.Capacity;

    // duckdb_string_t: 16 bytes; up to 12 bytes are stored inline after the 4-byte length.
    private const int StringSize = 16;
    private const int InlineStringLength = 12;

    private readonly MirrorType[] _types;
    private readonly bool _temporal;
    private readonly int _columnCount;
    private readonly List<Chunk> _chunks = new();
    private readonly MirrorLoadHeap _heap = new();
    private Chunk? _current;
    private int _row = Capacity;

    /// <param name="types">The table's mirror column types, in table order.</param>
    /// <param name="temporal">Whether the mirror keeps history: three more columns per row.</param>
    public ApplyChunks(MirrorType[] types, bool temporal)
    {
        _types = types;
        _temporal = temporal;
        _columnCount = types.Length + (temporal ? 3 : 0);
    }

    /// <summary>Rows written so far; a row's number is its index in that order.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Writes the reader's current row (the table's columns from <paramref name="offset"/> on) as the next row; false,
    /// with nothing counted, when the value of <paramref name="misfitColumn"/> does not fit its mirror column.
    /// </summary>
    public bool TryAdd(SqliteRowReader reader, int offset, out int misfitColumn)
    {
        var row = Reserve();
        var chunk = _current!;
        var cells = SqliteRowReader.HasCells && !reader.MutexFree;
        for (var i = 0; i < _types.Length; i++)
        {
            var type = _types[i];
            var column = offset + i;
            if (cells)
            {
                var cell = reader.Cell(column)!.Value;
                switch (cell.StorageClass)
                {
                    case raw.SQLITE_NULL:
                        SetNull(chunk, i, row);
                        continue;
                    case raw.SQLITE_INTEGER when type == MirrorType.Integer:
                        ((long*)chunk.Data[i])[row] = cell.Int64;
                        continue;
                    case raw.SQLITE_FLOAT when type == MirrorType.Real:
                        ((double*)chunk.Data[i])[row] = cell.Double;
                        continue;
                    case raw.SQLITE_TEXT when type == MirrorType.Text:
                        WriteText(chunk, i, row, cell.Utf8);
                        continue;
                    case raw.SQLITE_BLOB when type == MirrorType.Blob:
                        WriteBytes(chunk, i, row, cell.Blob);
                        continue;
                }
            }
            else
            {
                switch (reader.StorageClass(column))
                {
                    case raw.SQLITE_NULL:
                        SetNull(chunk, i, row);
                        continue;
                    case raw.SQLITE_INTEGER when type == MirrorType.Integer:
                        ((long*)chunk.Data[i])[row] = reader.GetInt64(column);
                        continue;
                    case raw.SQLITE_FLOAT when type == MirrorType.Real:
                        ((double*)chunk.Data[i])[row] = reader.GetDouble(column);
                        continue;
                    case raw.SQLITE_TEXT when type == MirrorType.Text:
                        WriteText(chunk, i, row, reader.GetUtf8(column));
                        continue;
                    case raw.SQLITE_BLOB when type == MirrorType.Blob:
                        WriteBytes(chunk, i, row, reader.GetBlob(column));
                        continue;
                }
            }

            // The slots written so far are overwritten by the next row; a NULL set here must not stay for it.
            ClearValidity(chunk, row);
            misfitColumn = i;
            return false;
        }

        Commit();
        misfitColumn = -1;
        return true;
    }

    /// <summary>Whether the reader's current row would fit (see <see cref="TryAdd"/>), for a row that is checked but not kept.</summary>
    public bool Fits(SqliteRowReader reader, int offset, out int misfitColumn)
    {
        for (var i = 0; i < _types.Length; i++)
        {
            var storage = reader.StorageClass(offset + i);
            var fits = storage switch
            {
                raw.SQLITE_NULL => true,
                raw.SQLITE_INTEGER => _types[i] == MirrorType.Integer,
                raw.SQLITE_FLOAT => _types[i] == MirrorType.Real,
                raw.SQLITE_TEXT => _types[i] == MirrorType.Text,
                _ => _types[i] == MirrorType.Blob,
            };
            if (!fits)
            {
                misfitColumn = i;
                return false;
            }
        }

        misfitColumn = -1;
        return true;
    }

    /// <summary>
    /// Starts the next row for values set one by one (<see cref="SetInt64"/> …); every column starts NULL. Ends with
    /// <see cref="EndRow"/>, or <see cref="AbandonRow"/> when the row turns out not to fit.
    /// </summary>
    public void BeginRow()
    {
        var row = Reserve();
        for (var i = 0; i < _types.Length; i++)
        {
            SetNull(_current!, i, row);
        }
    }

    public void SetInt64(int column, long value)
    {
        SetValid(column);
        ((long*)_current!.Data[column])[_row] = value;
    }

    public void SetDouble(int column, double value)
    {
        SetValid(column);
        ((double*)_current!.Data[column])[_row] = value;
    }

    /// <summary>Well-formed UTF-8 text (callers decode anything else first).</summary>
    public void SetText(int column, ReadOnlySpan<byte> utf8)
    {
        SetValid(column);
        WriteBytes(_current!, column, _row, utf8);
    }

    public void SetBlob(int column, ReadOnlySpan<byte> bytes)
    {
        SetValid(column);
        WriteBytes(_current!, column, _row, bytes);
    }

    public void SetNull(int column) => SetNull(_current!, column, _row);

    /// <summary>Sets a value as SQLite's storage classes box it (long, double, string, byte[], null); false when it does not fit.</summary>
    public bool TrySetValue(int column, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                SetNull(column);
                return true;
            case long l when _types[column] == MirrorType.Integer:
                SetInt64(column, l);
                return true;
            case double d when _types[column] == MirrorType.Real:
                SetDouble(column, d);
                return true;
            case string s when _types[column] == MirrorType.Text:
                SetText(column, Encoding.UTF8.GetBytes(s));
                return true;
            case byte[] b when _types[column] == MirrorType.Blob:
                SetBlob(column, b);
                return true;
            default:
                return false;
        }
    }

    public void EndRow() => Commit();

    /// <summary>Drops the row begun: nothing is counted and its slots are the next row's.</summary>
    public void AbandonRow() => ClearValidity(_current!, _row);

    /// <summary>Sets a temporal row's trailing columns: when its version opened and closed (null: still current), and its operation.</summary>
    public void SetVersion(int row, long validFrom, long? validTo, char operation)
    {
        var chunk = _chunks[row / Capacity];
        var slot = row % Capacity;
        var from = _types.Length;
        ((long*)chunk.Data[from])[slot] = validFrom;
        if (validTo is { } to)
        {
            ((long*)chunk.Data[from + 1])[slot] = to;
        }
        else
        {
            SetNull(chunk, from + 1, slot);
        }

        var cell = chunk.Data[from + 2] + ((long)slot * StringSize);
        *(Int128*)cell = 0;
        *(uint*)cell = 1;
        cell[4] = operation is 'I' or 'U' ? (byte)operation : (byte)'D';
    }

    /// <summary>Appends every row to the appender's table (whose columns are this batch's types), chunk by chunk.</summary>
    public void AppendTo(DuckDbAppender appender)
    {
        for (var i = 0; i < _chunks.Count; i++)
        {
            var chunk = _chunks[i];
            var rows = i == _chunks.Count - 1 ? _row : Capacity;
            if (rows == 0)
            {
                continue;
            }

            DuckDBNative.DataChunks.DuckDBDataChunkSetSize(chunk.Handle, (ulong)rows);
            appender.AppendDataChunk(chunk.Handle);
        }
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks)
        {
            chunk.Handle.Dispose();
        }

        _chunks.Clear();
        _heap.Clear();
        _current = null;
        Count = 0;
        _row = Capacity;
    }

    /// <summary>The slot of the next row, in a new chunk when the current one is full.</summary>
    private int Reserve()
    {
        if (_row == Capacity)
        {
            _current = new Chunk(_types, _temporal, _columnCount);
            _chunks.Add(_current);
            _row = 0;
        }

        return _row;
    }

    private void Commit()
    {
        _row++;
        Count++;
    }

    private void SetValid(int column)
    {
        var validity = _current!.Validity[column];
        if (validity is not null)
        {
            validity[_row >> 6] |= 1UL << (_row & 63);
        }
    }

    private void ClearValidity(Chunk chunk, int row)
    {
        for (var i = 0; i < _columnCount; i++)
        {
            var validity = chunk.Validity[i];
            if (validity is not null)
            {
                validity[row >> 6] |= 1UL << (row & 63);
            }
        }
    }

    private void SetNull(Chunk chunk, int column, int row)
    {
        var validity = chunk.Validity[column];
        if (validity is null)
        {
            DuckDBNative.Vectors.DuckDBVectorEnsureValidityWritable(chunk.Vectors[column]);
            validity = chunk.Validity[column] = DuckDBNative.Vectors.DuckDBVectorGetValidity(chunk.Vectors[column]);
        }

        validity[row >> 6] &= ~(1UL << (row & 63));
        if (IsString(column))
        {
            // A well-formed empty string_t, in case anything reads the slot without looking at validity first.
            *(Int128*)(chunk.Data[column] + ((long)row * StringSize)) = 0;
        }
    }

    private bool IsString(int column)
        => column < _types.Length ? _types[column] is MirrorType.Text or MirrorType.Blob : column == _types.Length + 2;

    /// <summary>
    /// Text as SQLite stores it; VARCHAR needs valid UTF-8, so ill-formed text is decoded first (U+FFFD for each bad
    /// sequence), exactly what Microsoft.Data.Sqlite's GetString and the appender's string path give.
    /// </summary>
    private void WriteText(Chunk chunk, int column, int row, ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            WriteBytes(chunk, column, row, utf8);
            return;
        }

        WriteBytes(chunk, column, row, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8)));
    }

    private void WriteBytes(Chunk chunk, int column, int row, ReadOnlySpan<byte> value)
    {
        var cell = chunk.Data[column] + ((long)row * StringSize);
        if (value.Length <= InlineStringLength)
        {
            *(Int128*)cell = 0;
            *(uint*)cell = (uint)value.Length;
            value.CopyTo(new Span<byte>(cell + 4, InlineStringLength));
            return;
        }

        // The string_t points at the batch's own heap: duckdb_append_data_chunk copies the bytes into the table.
        var bytes = _heap.Reserve(value.Length);
        value.CopyTo(new Span<byte>(bytes, value.Length));
        *(uint*)cell = (uint)value.Length;
        *(uint*)(cell + 4) = *(uint*)bytes;
        *(byte**)(cell + 8) = bytes;
    }

    /// <summary>One data chunk and its vectors' pointers.</summary>
    private sealed class Chunk
    {
        public Chunk(MirrorType[] types, bool temporal, int columnCount)
        {
            var ids = new DuckDBType[columnCount];
            for (var i = 0; i < columnCount; i++)
            {
                ids[i] = TypeOf(types, temporal, i);
            }

            Handle = MirrorDataChunks.Create(ids, "the changes of a batch");

            Vectors = new nint[columnCount];
            Data = new byte*[columnCount];
            Validity = new ulong*[columnCount];
            for (var i = 0; i < columnCount; i++)
            {
                Vectors[i] = DuckDBNative.DataChunks.DuckDBDataChunkGetVector(Handle, i);
                Data[i] = (byte*)DuckDBNative.Vectors.DuckDBVectorGetData(Vectors[i]);
                Validity[i] = DuckDBNative.Vectors.DuckDBVectorGetValidity(Vectors[i]);
            }
        }

        public DuckDBDataChunk Handle { get; }

        public nint[] Vectors { get; }

        public byte*[] Data { get; }

        public ulong*[] Validity { get; }

        private static DuckDBType TypeOf(MirrorType[] types, bool temporal, int column)
        {
            if (column < types.Length)
            {
                return types[column] switch
                {
                    MirrorType.Integer => DuckDBType.BigInt,
                    MirrorType.Real => DuckDBType.Double,
                    MirrorType.Text => DuckDBType.Varchar,
                    _ => DuckDBType.Blob,
                };
            }

            // MirrorDdl's temporal columns: _rhei_valid_from BIGINT, _rhei_valid_to BIGINT, _rhei_operation VARCHAR.
            return temporal && column == types.Length + 2 ? DuckDBType.Varchar : DuckDBType.BigInt;
        }
    }
}
