using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using DuckDB.NET.Native;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using SQLitePCL;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Olap;

/// <summary>
/// Up to <see cref="Capacity"/> rows of one table written straight into a DuckDB data chunk of the mirror's column
/// types, by the SQLite reading thread of an initial load, then handed whole to the appending thread
/// (<see cref="DuckDbAppender.AppendDataChunk"/>) and reused. Values go from SQLite's column pointers into the
/// vectors: integers and doubles as they are, text and blobs as byte spans (inline when short, otherwise copied
/// once into the batch's own heap, <see cref="MirrorLoadHeap"/>), no managed value per cell and no call into DuckDB
/// per value on either side.
/// Each mirror column holds exactly one storage class (<see cref="SqliteTypeMapper.Holds(MirrorType, long)"/>), so
/// a value of another class is reported as a misfit, never converted.
/// </summary>
internal sealed unsafe class MirrorLoadBatch : IDisposable
{
    /// <summary>DuckDB's chunk size: a full batch is exactly one data chunk.</summary>
    public const int Capacity = 2048;

    // A batch of wide text or blobs is handed over early, so a table of large values stays within a few MB per batch.
    private const int ByteBudget = 4 * 1024 * 1024;

    // duckdb_string_t: 16 bytes; up to 12 bytes are stored inline after the 4-byte length.
    private const int StringSize = 16;
    private const int InlineStringLength = 12;

    private readonly MirrorType[] _types;
    private readonly long? _validFrom;
    private readonly int _columnCount;
    private readonly DuckDBDataChunk _chunk;
    private readonly nint[] _vectors;
    private readonly byte*[] _data;
    private readonly ulong*[] _validity;
    private int _count;
    private long _byteCount;
    private readonly MirrorLoadHeap _heap = new();

    /// <param name="types">The table's mirror column types, in table order.</param>
    /// <param name="validFrom">For a temporal mirror, the load's time: every row opens a current version ('I') then.</param>
    public MirrorLoadBatch(MirrorType[] types, long? validFrom)
    {
        _types = types;
        _validFrom = validFrom;
        _columnCount = types.Length + (validFrom is null ? 0 : 3);
        var ids = new DuckDBType[_columnCount];
        for (var i = 0; i < types.Length; i++)
        {
            ids[i] = types[i] switch
            {
                MirrorType.Integer => DuckDBType.BigInt,
                MirrorType.Real => DuckDBType.Double,
                MirrorType.Text => DuckDBType.Varchar,
                _ => DuckDBType.Blob,
            };
        }

        if (validFrom is not null)
        {
            // MirrorDdl's temporal columns: _rhei_valid_from BIGINT, _rhei_valid_to BIGINT, _rhei_operation VARCHAR.
            ids[types.Length] = DuckDBType.BigInt;
            ids[types.Length + 1] = DuckDBType.BigInt;
            ids[types.Length + 2] = DuckDBType.Varchar;
        }

        _chunk = MirrorDataChunks.Create(ids, "the initial load");

        _vectors = new nint[_columnCount];
        _data = new byte*[_columnCount];
        _validity = new ulong*[_columnCount];
        for (var i = 0; i < _columnCount; i++)
        {
            _vectors[i] = DuckDBNative.DataChunks.DuckDBDataChunkGetVector(_chunk, i);
        }

        LoadVectorPointers();
    }

    public int Count => _count;

    public bool IsFull => _count == Capacity || _byteCount >= ByteBudget;

    /// <summary>
    /// Writes the reader's current row into the chunk; false, with the row not counted, when the value of
    /// <paramref name="misfitColumn"/> does not fit its mirror column (<see cref="SqliteTypeMapper.Holds(MirrorType, object?)"/>).
    /// </summary>
    // The load's per-row path (this, the reader's step and getters, the reading loops) is compiled optimized at once:
    // a process's first load of a large table is over before tiered compilation has moved these off tier 0, which cost
    // the first load about half its speed (bench: "phases, first load" against the reload in the same process).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAdd(SqliteRowReader reader, out int misfitColumn)
    {
        if (!SqliteRowReader.HasCells || reader.MutexFree)
        {
            return TryAddByColumn(reader, out misfitColumn);
        }

        var row = _count;
        for (var i = 0; i < _types.Length; i++)
        {
            var type = _types[i];
            var cell = reader.Cell(i)!.Value;
            switch (cell.StorageClass)
            {
                case raw.SQLITE_NULL:
                    SetNull(i, row);
                    break;
                case raw.SQLITE_INTEGER when type == MirrorType.Integer:
                    ((long*)_data[i])[row] = cell.Int64;
                    break;
                case raw.SQLITE_FLOAT when type == MirrorType.Real:
                    ((double*)_data[i])[row] = cell.Double;
                    break;
                case raw.SQLITE_TEXT when type == MirrorType.Text:
                    WriteText(i, row, cell.Utf8);
                    break;
                case raw.SQLITE_BLOB when type == MirrorType.Blob:
                    WriteBytes(i, row, cell.Blob);
                    break;
                default:
                    misfitColumn = i;
                    return false;
            }
        }

        _count++;
        misfitColumn = -1;
        return true;
    }

    /// <summary>
    /// The same through the reader's column getters: on a connection without a mutex they lock nothing, and one type
    /// check plus one typed getter per cell (two calls) beats a cell's three; also where SQLite's value functions
    /// could not be loaded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryAddByColumn(SqliteRowReader reader, out int misfitColumn)
    {
        var row = _count;
        for (var i = 0; i < _types.Length; i++)
        {
            var type = _types[i];
            switch (reader.StorageClass(i))
            {
                case raw.SQLITE_NULL:
                    SetNull(i, row);
                    break;
                case raw.SQLITE_INTEGER when type == MirrorType.Integer:
                    ((long*)_data[i])[row] = reader.GetInt64(i);
                    break;
                case raw.SQLITE_FLOAT when type == MirrorType.Real:
                    ((double*)_data[i])[row] = reader.GetDouble(i);
                    break;
                case raw.SQLITE_TEXT when type == MirrorType.Text:
                    WriteText(i, row, reader.GetUtf8(i));
                    break;
                case raw.SQLITE_BLOB when type == MirrorType.Blob:
                    WriteBytes(i, row, reader.GetBlob(i));
                    break;
                default:
                    misfitColumn = i;
                    return false;
            }
        }

        _count++;
        misfitColumn = -1;
        return true;
    }

    /// <summary>Hands the rows to the appender as one chunk (DuckDB copies them), then empties the batch for reuse.</summary>
    public void AppendTo(DuckDbAppender appender)
    {
        if (_count == 0)
        {
            return;
        }

        if (_validFrom is { } from)
        {
            FillTemporalTail(from);
        }

        DuckDBNative.DataChunks.DuckDBDataChunkSetSize(_chunk, (ulong)_count);
        try
        {
            appender.AppendDataChunk(_chunk);
        }
        finally
        {
            Clear();
        }
    }

    /// <summary>Empties the batch for reuse; its chunk stays.</summary>
    public void Clear()
    {
        DuckDBNative.DataChunks.DuckDBDataChunkReset(_chunk);
        _count = 0;
        _byteCount = 0;
        _heap.Clear();
        LoadVectorPointers();
    }

    public void Dispose() => _chunk.Dispose();

    /// <summary>The temporal columns, the same for every row of a load: opened now, still current, operation 'I'.</summary>
    private void FillTemporalTail(long validFrom)
    {
        var from = _types.Length;
        new Span<long>(_data[from], _count).Fill(validFrom);
        for (var row = 0; row < _count; row++)
        {
            SetNull(from + 1, row);
        }

        var operation = _data[from + 2];
        for (var row = 0; row < _count; row++)
        {
            var cell = operation + ((long)row * StringSize);
            *(Int128*)cell = 0;
            *(uint*)cell = 1;
            cell[4] = (byte)'I';
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SetNull(int column, int row)
    {
        var validity = _validity[column];
        if (validity is null)
        {
            DuckDBNative.Vectors.DuckDBVectorEnsureValidityWritable(_vectors[column]);
            validity = _validity[column] = DuckDBNative.Vectors.DuckDBVectorGetValidity(_vectors[column]);
        }

        validity[row >> 6] &= ~(1UL << (row & 63));
        if (column < _types.Length && _types[column] is MirrorType.Text or MirrorType.Blob)
        {
            // A well-formed empty string_t, in case anything reads the slot without looking at validity first.
            *(Int128*)(_data[column] + ((long)row * StringSize)) = 0;
        }
    }

    /// <summary>
    /// Text as SQLite stores it; VARCHAR needs valid UTF-8, so ill-formed text is decoded first (U+FFFD for each bad
    /// sequence), exactly what Microsoft.Data.Sqlite's GetString and the appender's string path give.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteText(int column, int row, ReadOnlySpan<byte> utf8)
    {
        if (Utf8.IsValid(utf8))
        {
            WriteBytes(column, row, utf8);
            return;
        }

        WriteBytes(column, row, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteBytes(int column, int row, ReadOnlySpan<byte> value)
    {
        var cell = _data[column] + ((long)row * StringSize);
        if (value.Length <= InlineStringLength)
        {
            *(Int128*)cell = 0;
            *(uint*)cell = (uint)value.Length;
            value.CopyTo(new Span<byte>(cell + 4, InlineStringLength));
            return;
        }

        // A longer value's string_t points at the batch's own heap (length, 4-byte prefix, pointer), not the vector's:
        // duckdb_append_data_chunk copies the bytes into the table, so they need to live only until the batch is
        // appended, and no call into DuckDB per value is needed.
        var bytes = _heap.Reserve(value.Length);
        value.CopyTo(new Span<byte>(bytes, value.Length));
        *(uint*)cell = (uint)value.Length;
        *(uint*)(cell + 4) = *(uint*)bytes;
        *(byte**)(cell + 8) = bytes;
        _byteCount += value.Length;
    }

    /// <summary>After creation and every reset: buffers may be reallocated, and validity must read all-valid again.</summary>
    private void LoadVectorPointers()
    {
        for (var i = 0; i < _columnCount; i++)
        {
            _data[i] = (byte*)DuckDBNative.Vectors.DuckDBVectorGetData(_vectors[i]);
            var validity = DuckDBNative.Vectors.DuckDBVectorGetValidity(_vectors[i]);

            // Reset normally drops the mask; should one survive, rows left NULL by the last chunk must not stay NULL.
            if (validity is not null)
            {
                new Span<ulong>(validity, (Capacity + 63) / 64).Fill(ulong.MaxValue);
            }

            _validity[i] = validity;
        }
    }
}
