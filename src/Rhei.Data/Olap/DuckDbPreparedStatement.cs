using System.Buffers;
using System.Numerics;
using System.Text;
using DuckDB.NET.Native;
using Rhei.Data.Olap.Native;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;
using RheiPrepared = Rhei.Data.Olap.Native.DuckDbNativeMethods.Prepared;
using PackagePrepared = DuckDB.NET.Native.NativeMethods.PreparedStatements;

namespace Rhei.Data.Olap;

/// <summary>A prepared statement (<c>duckdb_prepared_statement</c>). Parameter indices are 1-based.</summary>
internal sealed class DuckDbPreparedStatement : IDisposable
{
    // Strings up to this many UTF-8 bytes are encoded on the stack.
    private const int StackBufferSize = 512;

    private readonly DuckDBPreparedStatement _handle;
    private readonly int _parameterCount;
    private readonly DuckDbChangeTracker _changes;
    private readonly bool _readsOnly;

    internal DuckDbPreparedStatement(DuckDBPreparedStatement handle, DuckDbChangeTracker changes)
    {
        _handle = handle;
        _changes = changes;
        _parameterCount = checked((int)PackagePrepared.DuckDBParams(handle));
        _readsOnly = RheiPrepared.StatementType(handle) is DuckDBStatementType.Select or DuckDBStatementType.Explain;
    }

    public int ParameterCount => _parameterCount;

    internal DuckDBPreparedStatement Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>"1" for <c>?</c> or <c>$1</c>, "foo" for <c>$foo</c>.</summary>
    public string GetParameterName(int oneBasedIndex)
    {
        CheckIndex(oneBasedIndex);
        return RheiPrepared.ParameterName(Handle, (ulong)oneBasedIndex) ?? oneBasedIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Bind(int oneBasedIndex, object? value)
    {
        DuckDBPreparedStatement handle = Handle;
        CheckIndex(oneBasedIndex);
        long index = oneBasedIndex;
        DuckDBState state = value switch
        {
            null or DBNull => PackagePrepared.DuckDBBindNull(handle, index),
            bool v => PackagePrepared.DuckDBBindBoolean(handle, index, v),
            sbyte v => PackagePrepared.DuckDBBindInt8(handle, index, v),
            short v => PackagePrepared.DuckDBBindInt16(handle, index, v),
            int v => PackagePrepared.DuckDBBindInt32(handle, index, v),
            long v => PackagePrepared.DuckDBBindInt64(handle, index, v),
            byte v => PackagePrepared.DuckDBBindUInt8(handle, index, v),
            ushort v => PackagePrepared.DuckDBBindUInt16(handle, index, v),
            uint v => PackagePrepared.DuckDBBindUInt32(handle, index, v),
            ulong v => PackagePrepared.DuckDBBindUInt64(handle, index, v),
            Int128 v => PackagePrepared.DuckDBBindHugeInt(handle, index, DuckDbValueConversions.ToHugeInt(v)),
            UInt128 v => RheiPrepared.BindUHugeInt(handle, (ulong)index, DuckDbValueConversions.ToUHugeInt(v)),
            BigInteger v => BindBigInteger(handle, index, v),
            float v => PackagePrepared.DuckDBBindFloat(handle, index, v),
            double v => PackagePrepared.DuckDBBindDouble(handle, index, v),
            decimal v => RheiPrepared.BindDecimal(handle, (ulong)index, DuckDbValueConversions.ToDecimal(v)),
            string v => BindString(handle, index, v),
            char v => BindString(handle, index, v.ToString()),
            byte[] v => BindBlob(handle, index, v),
            ReadOnlyMemory<byte> v => BindBlob(handle, index, v.Span),
            Memory<byte> v => BindBlob(handle, index, v.Span),
            DateTime v => PackagePrepared.DuckDBBindTimestamp(handle, index, new DuckDBTimestampStruct { Micros = DuckDbValueConversions.ToTimestampMicros(v) }),
            DateTimeOffset v => RheiPrepared.BindTimestampTz(handle, (ulong)index, DuckDbValueConversions.ToTimestampMicros(v)),
            DateOnly v => PackagePrepared.DuckDBBindDate(handle, index, new DuckDBDate { Days = DuckDbValueConversions.ToDays(v) }),
            TimeOnly v => PackagePrepared.DuckDBBindTime(handle, index, new DuckDBTime { Micros = DuckDbValueConversions.ToTimeMicros(v) }),
            TimeSpan v => RheiPrepared.BindInterval(handle, (ulong)index, DuckDbValueConversions.ToInterval(v)),
            DuckDbInterval v => RheiPrepared.BindInterval(handle, (ulong)index, DuckDbValueConversions.ToInterval(v)),
            Guid v => BindOwnedValue(handle, index, DuckDBNative.Value.DuckDBCreateUuid(DuckDbValueConversions.ToUuid(v))),
            Enum v => BindEnum(oneBasedIndex, v),
            _ => throw new NotSupportedException(
                $"A value of type '{value.GetType()}' cannot be bound to parameter {oneBasedIndex}. Convert it to a string, number, byte array or date/time type first."),
        };

        DuckDbErrors.ThrowIfFailed(state, handle);
    }

    // Typed binds for the mirror's one-row INSERT (MirrorRowStatements): the values come straight out of a data
    // chunk, so binding them as they are keeps the types the appender would have written, with no boxing or decoding.
    public void BindNull(int oneBasedIndex)
        => DuckDbErrors.ThrowIfFailed(PackagePrepared.DuckDBBindNull(Handle, oneBasedIndex), Handle);

    public void BindInt64(int oneBasedIndex, long value)
        => DuckDbErrors.ThrowIfFailed(PackagePrepared.DuckDBBindInt64(Handle, oneBasedIndex, value), Handle);

    public void BindDouble(int oneBasedIndex, double value)
        => DuckDbErrors.ThrowIfFailed(PackagePrepared.DuckDBBindDouble(Handle, oneBasedIndex, value), Handle);

    /// <summary>Well-formed UTF-8 text, bound by length (an embedded NUL stays part of the value).</summary>
    public unsafe void BindUtf8(int oneBasedIndex, ReadOnlySpan<byte> utf8)
    {
        byte empty = 0;
        fixed (byte* data = utf8)
        {
            DuckDbErrors.ThrowIfFailed(RheiPrepared.BindVarcharLength(Handle, (ulong)oneBasedIndex, utf8.IsEmpty ? &empty : data, (ulong)utf8.Length), Handle);
        }
    }

    public void BindBlob(int oneBasedIndex, ReadOnlySpan<byte> bytes)
        => DuckDbErrors.ThrowIfFailed(BindBlob(Handle, oneBasedIndex, bytes), Handle);

    public void ClearBindings() => DuckDbErrors.ThrowIfFailed(RheiPrepared.ClearBindings(Handle), Handle);

    public DuckDbResultReader Execute() => new(ExecuteCore());

    public long ExecuteNonQuery()
    {
        using DuckDbResultHandle result = ExecuteCore();
        return DuckDBNative.Query.DuckDBRowsChanged(ref result.Result);
    }

    public void Dispose() => _handle.Dispose();

    private DuckDbResultHandle ExecuteCore()
    {
        var result = new DuckDbResultHandle();
        if (!_readsOnly)
        {
            _changes.BeginWrite();
        }

        try
        {
            DuckDbErrors.ThrowIfFailed(PackagePrepared.DuckDBExecutePrepared(Handle, out result.Result), result);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
        finally
        {
            if (!_readsOnly)
            {
                _changes.EndWrite();
            }
        }
    }

    private void CheckIndex(int oneBasedIndex)
    {
        if (oneBasedIndex < 1 || oneBasedIndex > _parameterCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(oneBasedIndex), oneBasedIndex, $"Parameter indices are 1-based; this statement has {_parameterCount} parameter(s).");
        }
    }

    private DuckDBState BindEnum(int oneBasedIndex, Enum value)
    {
        Bind(oneBasedIndex, DuckDbValueConversions.FromEnum(value));
        return DuckDBState.Success;
    }

    private static DuckDBState BindBigInteger(DuckDBPreparedStatement handle, long index, BigInteger value)
    {
        if (DuckDbValueConversions.TryToInt128(value, out Int128 signed))
        {
            return PackagePrepared.DuckDBBindHugeInt(handle, index, DuckDbValueConversions.ToHugeInt(signed));
        }

        if (DuckDbValueConversions.TryToUInt128(value, out UInt128 unsigned))
        {
            return RheiPrepared.BindUHugeInt(handle, (ulong)index, DuckDbValueConversions.ToUHugeInt(unsigned));
        }

        throw new OverflowException($"The BigInteger bound to parameter {index} does not fit in DuckDB's HUGEINT or UHUGEINT (128 bits).");
    }

    private static DuckDBState BindOwnedValue(DuckDBPreparedStatement handle, long index, DuckDBValue value)
    {
        // duckdb_bind_value copies the value, so ours is released straight away.
        using (value)
        {
            return PackagePrepared.DuckDBBindValue(handle, index, value);
        }
    }

    private static unsafe DuckDBState BindString(DuckDBPreparedStatement handle, long index, string value)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> buffer = maxBytes <= StackBufferSize ? stackalloc byte[StackBufferSize] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            int length = Encoding.UTF8.GetBytes(value, buffer);
            fixed (byte* utf8 = buffer)
            {
                return RheiPrepared.BindVarcharLength(handle, (ulong)index, utf8, (ulong)length);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static unsafe DuckDBState BindBlob(DuckDBPreparedStatement handle, long index, ReadOnlySpan<byte> value)
    {
        // A non-null pointer even for an empty blob, so DuckDB sees an empty value rather than a missing one.
        byte dummy = 0;
        fixed (byte* data = value)
        {
            return RheiPrepared.BindBlob(handle, (ulong)index, value.IsEmpty ? &dummy : data, (ulong)value.Length);
        }
    }
}
