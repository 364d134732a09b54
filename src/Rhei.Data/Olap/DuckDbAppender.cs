using System.Buffers;
using System.Numerics;
using System.Text;
using Rhei.Data.Olap.Native;

namespace Rhei.Data.Olap;

/// <summary>
/// Row-by-row bulk insert into one table (<c>duckdb_appender</c>). Rows become visible after
/// <see cref="Flush"/> or <see cref="Close"/>. <see cref="Dispose"/> only releases: rows not yet flushed are
/// discarded, so a <c>using</c> block left by an exception commits nothing. Call <see cref="Close"/> on success.
/// </summary>
/// <remarks>
/// When an append or <see cref="EndRow"/> fails, the appender is cleared (<c>duckdb_appender_clear</c>):
/// DuckDB keeps a partial row, and the only way to drop it also drops every row not yet flushed. The
/// exception says so.
/// </remarks>
internal sealed class DuckDbAppender : IDisposable
{
    // Strings up to this many UTF-8 bytes are encoded on the stack; longer ones use a pooled buffer.
    private const int StackBufferSize = 512;
    private const string ClearedSuffix = "The appender was cleared: the partial row and every row not yet flushed were discarded.";

    private readonly DuckDbAppenderHandle _handle;
    private readonly int _columnCount;

    internal DuckDbAppender(DuckDbAppenderHandle handle)
    {
        _handle = handle;
        _columnCount = checked((int)NativeMethods.Appender.ColumnCount(handle));
    }

    public int ColumnCount => _columnCount;

    private DuckDbAppenderHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    public void AppendNull() => Check(NativeMethods.Appender.AppendNull(Handle));

    public void Append(bool v) => Check(NativeMethods.Appender.AppendBool(Handle, v));

    public void Append(long v) => Check(NativeMethods.Appender.AppendInt64(Handle, v));

    public void Append(double v) => Check(NativeMethods.Appender.AppendDouble(Handle, v));

    public unsafe void Append(string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        DuckDbAppenderHandle handle = Handle;
        int maxBytes = Encoding.UTF8.GetMaxByteCount(v.Length);
        byte[]? rented = null;
        Span<byte> buffer = maxBytes <= StackBufferSize ? stackalloc byte[StackBufferSize] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            int length = Encoding.UTF8.GetBytes(v, buffer);
            DuckDbState state;
            fixed (byte* utf8 = buffer)
            {
                state = NativeMethods.Appender.AppendVarcharLength(handle, utf8, (ulong)length);
            }

            Check(state);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public unsafe void Append(ReadOnlySpan<byte> blob)
    {
        DuckDbAppenderHandle handle = Handle;
        byte empty = 0;
        DuckDbState state;
        fixed (byte* data = blob)
        {
            // A non-null pointer for an empty blob so DuckDB records an empty value, not a missing one.
            state = NativeMethods.Appender.AppendBlob(handle, blob.IsEmpty ? &empty : data, (ulong)blob.Length);
        }

        Check(state);
    }

    /// <summary>Appends a value of any supported CLR type (the same set as parameter binding).</summary>
    public void AppendValue(object? v)
    {
        DuckDbAppenderHandle handle = Handle;
        switch (v)
        {
            case null or DBNull: AppendNull(); return;
            case bool b: Append(b); return;
            case string s: Append(s); return;
            case long l: Append(l); return;
            case double d: Append(d); return;
            case byte[] bytes: Append(bytes); return;
            case ReadOnlyMemory<byte> memory: Append(memory.Span); return;
            case Memory<byte> memory: Append(memory.Span); return;
            case char c: Append(c.ToString()); return;
            case Enum e: AppendValue(DuckDbValueConversions.FromEnum(e)); return;
            case BigInteger big: AppendBigInteger(big); return;
        }

        DuckDbState state = v switch
        {
            sbyte x => NativeMethods.Appender.AppendInt8(handle, x),
            short x => NativeMethods.Appender.AppendInt16(handle, x),
            int x => NativeMethods.Appender.AppendInt32(handle, x),
            byte x => NativeMethods.Appender.AppendUInt8(handle, x),
            ushort x => NativeMethods.Appender.AppendUInt16(handle, x),
            uint x => NativeMethods.Appender.AppendUInt32(handle, x),
            ulong x => NativeMethods.Appender.AppendUInt64(handle, x),
            Int128 x => NativeMethods.Appender.AppendHugeInt(handle, new DuckDbHugeInt(x)),
            UInt128 x => NativeMethods.Appender.AppendUHugeInt(handle, new DuckDbUHugeInt(x)),
            float x => NativeMethods.Appender.AppendFloat(handle, x),
            decimal x => AppendOwnedValue(handle, NativeMethods.Helpers.CreateDecimal(DuckDbValueConversions.ToDecimal(x))),
            DateTime x => NativeMethods.Appender.AppendTimestamp(handle, DuckDbValueConversions.ToTimestampMicros(x)),
            DateTimeOffset x => AppendOwnedValue(handle, NativeMethods.Helpers.CreateTimestampTz(DuckDbValueConversions.ToTimestampMicros(x))),
            DateOnly x => NativeMethods.Appender.AppendDate(handle, DuckDbValueConversions.ToDays(x)),
            TimeOnly x => NativeMethods.Appender.AppendTime(handle, DuckDbValueConversions.ToTimeMicros(x)),
            TimeSpan x => NativeMethods.Appender.AppendInterval(handle, DuckDbValueConversions.ToInterval(x)),
            DuckDbInterval x => NativeMethods.Appender.AppendInterval(handle, DuckDbValueConversions.ToInterval(x)),
            Guid x => AppendOwnedValue(handle, NativeMethods.Helpers.CreateUuid(DuckDbValueConversions.ToUuid(x))),
            _ => throw new NotSupportedException(
                $"A value of type '{v.GetType()}' cannot be appended. Convert it to a string, number, byte array or date/time type first."),
        };

        Check(state);
    }

    /// <summary>Finishes the current row; fails if not every column has a value.</summary>
    public void EndRow() => Check(NativeMethods.Appender.EndRow(Handle));

    /// <summary>Writes the buffered rows to the table. A failure discards the whole batch and leaves the appender unusable.</summary>
    public void Flush()
    {
        DuckDbAppenderHandle handle = Handle;
        if (NativeMethods.Appender.Flush(handle) != DuckDbState.Success)
        {
            DuckDbErrors.ThrowForAppender(handle);
        }
    }

    /// <summary>Flushes and closes; called explicitly on success, since <see cref="Dispose"/> never commits.</summary>
    public void Close()
    {
        DuckDbAppenderHandle handle = Handle;
        if (NativeMethods.Appender.CloseAppender(handle) != DuckDbState.Success)
        {
            DuckDbErrors.ThrowForAppender(handle);
        }
    }

    public void Dispose() => _handle.Dispose();

    private void AppendBigInteger(BigInteger value)
    {
        DuckDbAppenderHandle handle = Handle;
        if (DuckDbValueConversions.TryToInt128(value, out Int128 signed))
        {
            Check(NativeMethods.Appender.AppendHugeInt(handle, new DuckDbHugeInt(signed)));
        }
        else if (DuckDbValueConversions.TryToUInt128(value, out UInt128 unsigned))
        {
            Check(NativeMethods.Appender.AppendUHugeInt(handle, new DuckDbUHugeInt(unsigned)));
        }
        else
        {
            throw new OverflowException("The BigInteger does not fit in DuckDB's HUGEINT or UHUGEINT (128 bits).");
        }
    }

    private static DuckDbState AppendOwnedValue(DuckDbAppenderHandle handle, DuckDbValueHandle value)
    {
        // duckdb_append_value copies the value, so ours is released straight away.
        using (value)
        {
            return NativeMethods.Appender.AppendValue(handle, value);
        }
    }

    private void Check(DuckDbState state)
    {
        if (state == DuckDbState.Success)
        {
            return;
        }

        // Read the error first: clearing may reset it.
        try
        {
            DuckDbErrors.ThrowForAppender(_handle, ClearedSuffix);
        }
        finally
        {
            _ = NativeMethods.Appender.Clear(_handle);
        }
    }
}
