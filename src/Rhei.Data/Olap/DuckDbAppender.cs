using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using DuckDB.NET.Native;
using Rhei.Data.Olap.Native;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Olap;

/// <summary>
/// Row-by-row bulk insert into one table (<c>duckdb_appender</c>). Rows become visible after
/// <see cref="Flush"/> or <see cref="Close"/>. <see cref="Dispose"/> only releases: rows not yet flushed are
/// discarded, so a <c>using</c> block left by an exception commits nothing. Call <see cref="Close"/> on success.
/// </summary>
/// <remarks>
/// <para>
/// When every column is BOOLEAN, INTEGER, BIGINT, DOUBLE, VARCHAR or BLOB, values are written straight into
/// the memory of a managed-side data chunk and handed over 2,048 rows at a time with
/// <c>duckdb_append_data_chunk</c>: one native call per chunk instead of one per value, which is what makes an
/// initial sync of millions of rows fast. Other tables use DuckDB's per-value appends throughout.
/// </para>
/// <para>
/// A value whose type differs from its column (a string for a BIGINT column, which SQLite's flexible typing
/// allows) is not converted here: the pending chunk rows are handed over, the current row is replayed through
/// the per-value appends, and from then on until the next <see cref="Flush"/> every value goes that way, so
/// DuckDB casts it exactly as before and its error names the value. Switching back earlier would reorder rows:
/// chunk appends go straight to DuckDB's pending collection, per-value rows only when its own buffer fills.
/// </para>
/// <para>
/// When an append or <see cref="EndRow"/> fails, the appender is cleared (<c>duckdb_appender_clear</c>):
/// DuckDB keeps a partial row, and the only way to drop it also drops every row not yet flushed. The
/// exception says so. Not thread-safe.
/// </para>
/// </remarks>
internal sealed unsafe partial class DuckDbAppender : IDisposable
{
    private const string ClearedSuffix = "The appender was cleared: the partial row and every row not yet flushed were discarded.";

    // duckdb_string_t: 16 bytes; strings up to 12 bytes are stored inline after the 4-byte length.
    private const int StringSize = 16;
    private const int InlineStringLength = 12;

    private readonly DuckDbAppenderHandle _handle;
    private readonly nint _appender;
    private readonly int _columnCount;
    private readonly ColumnKind[] _kinds;
    private readonly string[] _typeNames;

    // Set only when every column has a chunk writer; the vectors belong to the chunk and are never destroyed.
    private readonly DuckDBDataChunk? _chunkHandle;
    private readonly nint _chunk;
    private readonly int _capacity;
    private readonly nint[] _vectors;
    private readonly byte*[] _data;
    private readonly ulong*[] _validity;

    // UTF-8 of strings longer than the inline limit, reused so that appending allocates nothing per value.
    private byte[] _scratch = new byte[256];

    private int _row;
    private int _column;
    private bool _rowMode;
    private bool _closed;
    private bool _disposed;

    // The appender may make rows visible at any internal flush, so its whole life counts as one write.
    private DuckDbChangeTracker? _changes;

    internal DuckDbAppender(DuckDbAppenderHandle handle, DuckDbChangeTracker changes)
    {
        _handle = handle;
        changes.BeginWrite();
        _changes = changes;
        _columnCount = checked((int)DuckDbNativeMethods.Appender.ColumnCount(handle));
        _kinds = new ColumnKind[_columnCount];
        _typeNames = new string[_columnCount];
        _vectors = new nint[_columnCount];
        _data = new byte*[_columnCount];
        _validity = new ulong*[_columnCount];

        DuckDBLogicalType[] types = new DuckDBLogicalType[_columnCount];
        bool addedAppender = false;
        bool addedChunk = false;
        try
        {
            bool chunkable = _columnCount > 0;
            for (int i = 0; i < _columnCount; i++)
            {
                types[i] = DuckDbNativeMethods.Appender.ColumnType(handle, (ulong)i);
                DuckDbTypeId id = (DuckDbTypeId)DuckDBNative.LogicalType.DuckDBGetTypeId(types[i]);
                _kinds[i] = KindOf(id);
                _typeNames[i] = TypeName(id);
                chunkable &= _kinds[i] != ColumnKind.Other;
            }

            // One reference for the appender's lifetime instead of an AddRef/Release pair per native call.
            handle.DangerousAddRef(ref addedAppender);
            _appender = handle.DangerousGetHandle();

            if (chunkable)
            {
                // Built from the appender's own logical types, so duckdb_append_data_chunk takes its no-cast path.
                nint[] raw = new nint[_columnCount];
                for (int i = 0; i < _columnCount; i++)
                {
                    raw[i] = types[i].DangerousGetHandle();
                }

                DuckDBDataChunk chunk = DuckDBNative.DataChunks.DuckDBCreateDataChunk(raw, (ulong)_columnCount);
                if (chunk.IsInvalid)
                {
                    chunk.Dispose();
                    throw new DuckDbException("DuckDB could not create a data chunk for the appender.");
                }

                _chunkHandle = chunk;
                _chunkHandle.DangerousAddRef(ref addedChunk);
                _chunk = chunk.DangerousGetHandle();
                _capacity = checked((int)Math.Min(DuckDBNative.Helpers.DuckDBVectorSize(), 2048UL));
                for (int i = 0; i < _columnCount; i++)
                {
                    _vectors[i] = DuckDBNative.DataChunks.DuckDBDataChunkGetVector(chunk, i);
                }

                LoadVectorPointers();
            }
            else
            {
                _rowMode = true;
            }
        }
        catch
        {
            if (addedChunk)
            {
                _chunkHandle!.DangerousRelease();
            }

            _chunkHandle?.Dispose();
            if (addedAppender)
            {
                handle.DangerousRelease();
            }

            // The references are released above; the finalizer must not release them a second time.
            GC.SuppressFinalize(this);
            EndWrite();
            throw;
        }
        finally
        {
            foreach (DuckDBLogicalType? type in types)
            {
                type?.Dispose();
            }
        }
    }

    // Without this, an appender dropped without Dispose would keep the references taken above and the native
    // appender and chunk would never be freed. SafeHandles are critical finalizers and so run after this one.
    ~DuckDbAppender()
    {
        ReleaseReferences();
        EndWrite();
    }

    private enum ColumnKind
    {
        Other,
        Boolean,
        Integer,
        BigInt,
        Double,
        Varchar,
        Blob,
    }

    public int ColumnCount => _columnCount;

    public void AppendNull()
    {
        EnsureOpen();
        if (_rowMode)
        {
            CheckValue(DuckDbNativeMethods.Appender.AppendNull(_appender));
            return;
        }

        int column = PeekColumn();
        ulong* validity = _validity[column];
        if (validity is null)
        {
            DuckDBNative.Vectors.DuckDBVectorEnsureValidityWritable(_vectors[column]);
            validity = _validity[column] = DuckDBNative.Vectors.DuckDBVectorGetValidity(_vectors[column]);
        }

        validity[_row >> 6] &= ~(1UL << (_row & 63));
        if (_kinds[column] is ColumnKind.Varchar or ColumnKind.Blob)
        {
            // A well-formed empty string_t, in case anything reads the slot without looking at validity first.
            *(Int128*)(_data[column] + ((long)_row * StringSize)) = 0;
        }

        _column++;
    }

    public void Append(bool v)
    {
        EnsureOpen();
        if (!_rowMode && _kinds[PeekColumn()] == ColumnKind.Boolean)
        {
            _data[_column][_row] = v ? (byte)1 : (byte)0;
            _column++;
            return;
        }

        EnterRowMode();
        CheckValue(DuckDbNativeMethods.Appender.AppendBool(_appender, v));
    }

    public void Append(long v)
    {
        EnsureOpen();
        if (!_rowMode)
        {
            int column = PeekColumn();
            switch (_kinds[column])
            {
                case ColumnKind.BigInt:
                    ((long*)_data[column])[_row] = v;
                    _column++;
                    return;

                // Exactly DuckDB's casts; an INTEGER out of range goes the per-value way for DuckDB's error.
                case ColumnKind.Integer when v is >= int.MinValue and <= int.MaxValue:
                    ((int*)_data[column])[_row] = (int)v;
                    _column++;
                    return;
                case ColumnKind.Double:
                    ((double*)_data[column])[_row] = v;
                    _column++;
                    return;
            }
        }

        EnterRowMode();
        CheckValue(DuckDbNativeMethods.Appender.AppendInt64(_appender, v));
    }

    public void Append(double v)
    {
        EnsureOpen();
        if (!_rowMode && _kinds[PeekColumn()] == ColumnKind.Double)
        {
            ((double*)_data[_column])[_row] = v;
            _column++;
            return;
        }

        EnterRowMode();
        CheckValue(DuckDbNativeMethods.Appender.AppendDouble(_appender, v));
    }

    public void Append(string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        EnsureOpen();
        if (!_rowMode && _kinds[PeekColumn()] == ColumnKind.Varchar)
        {
            WriteString(v);
            _column++;
            return;
        }

        EnterRowMode();
        int length = EncodeToScratch(v);
        fixed (byte* utf8 = _scratch)
        {
            CheckValue(DuckDbNativeMethods.Appender.AppendVarcharLength(_appender, utf8, (ulong)length));
        }
    }

    /// <summary>
    /// Appends text given as UTF-8, without a detour through <see cref="string"/>. Ill-formed UTF-8 is decoded
    /// first (U+FFFD for each bad sequence), so the result is exactly what appending the decoded string gives.
    /// </summary>
    public void AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        EnsureOpen();
        if (!Utf8.IsValid(utf8))
        {
            Append(Encoding.UTF8.GetString(utf8));
            return;
        }

        if (!_rowMode && _kinds[PeekColumn()] == ColumnKind.Varchar)
        {
            fixed (byte* data = utf8)
            {
                WriteBytes(_column, data, utf8.Length);
            }

            _column++;
            return;
        }

        EnterRowMode();
        fixed (byte* data = utf8)
        {
            // A non-null pointer for empty text, as for blobs.
            byte empty = 0;
            CheckValue(DuckDbNativeMethods.Appender.AppendVarcharLength(_appender, utf8.Length == 0 ? &empty : data, (ulong)utf8.Length));
        }
    }

    public void Append(ReadOnlySpan<byte> blob)
    {
        EnsureOpen();
        if (!_rowMode && _kinds[PeekColumn()] == ColumnKind.Blob)
        {
            fixed (byte* data = blob)
            {
                WriteBytes(_column, data, blob.Length);
            }

            _column++;
            return;
        }

        EnterRowMode();
        AppendBlobRow(blob);
    }

    /// <summary>Finishes the current row; fails if not every column has a value.</summary>
    public void EndRow()
    {
        EnsureOpen();
        if (_rowMode)
        {
            Check(DuckDbNativeMethods.Appender.EndRow(_appender), prefix: null);
            _column = 0;
            return;
        }

        if (_column != _columnCount)
        {
            // DuckDB's own wording, and the same clearing, as for the per-value path.
            FailAndClear("Call to EndRow before all columns have been appended to!");
        }

        _column = 0;
        if (++_row == _capacity)
        {
            AppendChunk();
        }
    }

    /// <summary>Writes the buffered rows to the table. A failure discards the whole batch and leaves the appender unusable.</summary>
    public void Flush()
    {
        EnsureOpen();
        HandOverChunk();
        if (DuckDbNativeMethods.Appender.Flush(_handle) != DuckDBState.Success)
        {
            DuckDbErrors.ThrowForAppender(_handle);
        }

        // Nothing is pending any more, so chunk appends cannot overtake per-value rows.
        _rowMode = _chunkHandle is null;
        _column = 0;
    }

    /// <summary>Flushes and closes; called explicitly on success, since <see cref="Dispose"/> never commits.</summary>
    public void Close()
    {
        EnsureOpen();
        HandOverChunk();
        _closed = true;
        try
        {
            if (DuckDbNativeMethods.Appender.CloseAppender(_handle) != DuckDBState.Success)
            {
                DuckDbErrors.ThrowForAppender(_handle);
            }
        }
        finally
        {
            EndWrite();
        }
    }

    private void EndWrite() => Interlocked.Exchange(ref _changes, null)?.EndWrite();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ReleaseReferences();
        _chunkHandle?.Dispose();
        _handle.Dispose();
        EndWrite();
        GC.SuppressFinalize(this);
    }

    private static ColumnKind KindOf(DuckDbTypeId id) => id switch
    {
        DuckDbTypeId.Boolean => ColumnKind.Boolean,
        DuckDbTypeId.Integer => ColumnKind.Integer,
        DuckDbTypeId.BigInt => ColumnKind.BigInt,
        DuckDbTypeId.Double => ColumnKind.Double,
        DuckDbTypeId.Varchar => ColumnKind.Varchar,
        DuckDbTypeId.Blob => ColumnKind.Blob,
        _ => ColumnKind.Other,
    };

    private static string TypeName(DuckDbTypeId id) => id switch
    {
        DuckDbTypeId.Boolean => "BOOLEAN",
        DuckDbTypeId.Integer => "INTEGER",
        DuckDbTypeId.BigInt => "BIGINT",
        DuckDbTypeId.Double => "DOUBLE",
        DuckDbTypeId.Varchar => "VARCHAR",
        DuckDbTypeId.Blob => "BLOB",
        _ => id.ToString().ToUpperInvariant(),
    };

    private void EnsureOpen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_closed)
        {
            throw new InvalidOperationException("The appender is closed; create a new one to append more rows.");
        }
    }

    /// <summary>The column the next value goes to, failing (and clearing, as DuckDB does) past the last one.</summary>
    private int PeekColumn()
    {
        if (_column >= _columnCount)
        {
            FailAndClear("Too many appends for chunk!");
        }

        return _column;
    }

    private void WriteString(string value)
    {
        byte* cell = _data[_column] + ((long)_row * StringSize);
        *(Int128*)cell = 0;

        // Short strings (the common case) are encoded straight into the inline slot: no copy, no native call.
        // Encoding.UTF8 replaces lone surrogates, so the bytes are always valid UTF-8 as VARCHAR requires.
        if (value.Length <= InlineStringLength
            && Encoding.UTF8.TryGetBytes(value, new Span<byte>(cell + 4, InlineStringLength), out int written))
        {
            *(uint*)cell = (uint)written;
            return;
        }

        // Zeroed again: a failed TryGetBytes may have written part of the slot.
        *(Int128*)cell = 0;
        int length = EncodeToScratch(value);
        fixed (byte* utf8 = _scratch)
        {
            WriteBytes(_column, utf8, length);
        }
    }

    private void WriteBytes(int column, byte* bytes, int length)
    {
        byte* cell = _data[column] + ((long)_row * StringSize);
        if (length <= InlineStringLength)
        {
            *(Int128*)cell = 0;
            *(uint*)cell = (uint)length;
            new ReadOnlySpan<byte>(bytes, length).CopyTo(new Span<byte>(cell + 4, InlineStringLength));
            return;
        }

        // Longer values live in the vector's string heap, which only DuckDB can allocate from.
        DuckDBNative.Vectors.DuckDBUnsafeVectorAssignStringElementLength(_vectors[column], (ulong)_row, bytes, length);
    }

    private int EncodeToScratch(string value)
    {
        int max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max > _scratch.Length)
        {
            // Grows geometrically, so a run of long strings reallocates only a few times.
            _scratch = new byte[Math.Max(max, _scratch.Length * 2)];
        }

        return Encoding.UTF8.GetBytes(value, _scratch);
    }

    /// <summary>Hands a full (or, before a flush, partial) chunk to DuckDB; a partial row is not allowed.</summary>
    private void AppendChunk()
    {
        if (_row == 0)
        {
            return;
        }

        DuckDBNative.DataChunks.DuckDBDataChunkSetSize(_chunkHandle!, (ulong)_row);
        DuckDBState state = DuckDbNativeMethods.Appender.AppendDataChunk(_appender, _chunk);
        ResetChunk();
        Check(state, prefix: null);
    }

    /// <summary>Before Flush and Close: every complete row must reach DuckDB, a partial one is an error.</summary>
    private void HandOverChunk()
    {
        if (_rowMode)
        {
            return;
        }

        if (_column != 0)
        {
            // DuckDB's wording; as on the per-value path, nothing is discarded.
            throw new DuckDbException("Failed to Flush appender: incomplete append to row!");
        }

        AppendChunk();
    }

    private void ResetChunk()
    {
        DuckDBNative.DataChunks.DuckDBDataChunkReset(_chunkHandle!);
        _row = 0;
        LoadVectorPointers();
    }

    /// <summary>After creation and every reset: buffers may be reallocated, and validity must read all-valid again.</summary>
    private void LoadVectorPointers()
    {
        for (int i = 0; i < _columnCount; i++)
        {
            _data[i] = (byte*)DuckDBNative.Vectors.DuckDBVectorGetData(_vectors[i]);
            ulong* validity = DuckDBNative.Vectors.DuckDBVectorGetValidity(_vectors[i]);

            // Reset normally drops the mask; should one survive, rows left NULL by the last chunk must not stay NULL.
            if (validity is not null)
            {
                new Span<ulong>(validity, (_capacity + 63) / 64).Fill(ulong.MaxValue);
            }

            _validity[i] = validity;
        }
    }

    /// <summary>For a per-value append: DuckDB's text gets the column it was meant for.</summary>
    private void CheckValue(DuckDBState state)
    {
        if (state == DuckDBState.Success)
        {
            _column++;
            return;
        }

        Check(state, _column < _columnCount ? $"Column {_column} ({_typeNames[_column]}): " : null);
    }

    private void Check(DuckDBState state, string? prefix)
    {
        if (state == DuckDBState.Success)
        {
            return;
        }

        // Read the error first: clearing may reset it.
        try
        {
            DuckDbErrors.ThrowForAppender(_handle, ClearedSuffix, prefix);
        }
        finally
        {
            ClearAll();
        }
    }

    private void FailAndClear(string message)
    {
        ClearAll();
        throw new DuckDbException(message + " " + ClearedSuffix);
    }

    /// <summary>Drops every pending row on both sides; with nothing pending, chunk appends are safe again.</summary>
    private void ClearAll()
    {
        _ = DuckDbNativeMethods.Appender.Clear(_handle);
        if (_chunkHandle is not null)
        {
            ResetChunk();
            _rowMode = false;
        }

        _column = 0;
    }

    private void ReleaseReferences()
    {
        if (_chunkHandle is not null && _chunk != 0)
        {
            _chunkHandle.DangerousRelease();
        }

        if (_appender != 0)
        {
            _handle.DangerousRelease();
        }
    }
}
