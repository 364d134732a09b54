using System.Buffers;
using System.Numerics;
using System.Text;
using Rhei.Data.Olap.Native;

namespace Rhei.Data.Olap;

/// <summary>A prepared statement (<c>duckdb_prepared_statement</c>). Parameter indices are 1-based.</summary>
internal sealed class DuckDbPreparedStatement : IDisposable
{
    // Strings up to this many UTF-8 bytes are encoded on the stack.
    private const int StackBufferSize = 512;

    private readonly DuckDbPreparedStatementHandle _handle;
    private readonly int _parameterCount;
    private readonly DuckDbChangeTracker _changes;
    private readonly bool _readsOnly;

    internal DuckDbPreparedStatement(DuckDbPreparedStatementHandle handle, DuckDbChangeTracker changes)
    {
        _handle = handle;
        _changes = changes;
        _parameterCount = checked((int)NativeMethods.Prepared.ParameterCount(handle));
        _readsOnly = NativeMethods.Prepared.StatementType(handle) is DuckDbStatementType.Select or DuckDbStatementType.Explain;
    }

    public int ParameterCount => _parameterCount;

    private DuckDbPreparedStatementHandle Handle
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
        return NativeMethods.Prepared.ParameterName(Handle, (ulong)oneBasedIndex) ?? oneBasedIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Bind(int oneBasedIndex, object? value)
    {
        DuckDbPreparedStatementHandle handle = Handle;
        CheckIndex(oneBasedIndex);
        ulong index = (ulong)oneBasedIndex;
        DuckDbState state = value switch
        {
            null or DBNull => NativeMethods.Prepared.BindNull(handle, index),
            bool v => NativeMethods.Prepared.BindBoolean(handle, index, v),
            sbyte v => NativeMethods.Prepared.BindInt8(handle, index, v),
            short v => NativeMethods.Prepared.BindInt16(handle, index, v),
            int v => NativeMethods.Prepared.BindInt32(handle, index, v),
            long v => NativeMethods.Prepared.BindInt64(handle, index, v),
            byte v => NativeMethods.Prepared.BindUInt8(handle, index, v),
            ushort v => NativeMethods.Prepared.BindUInt16(handle, index, v),
            uint v => NativeMethods.Prepared.BindUInt32(handle, index, v),
            ulong v => NativeMethods.Prepared.BindUInt64(handle, index, v),
            Int128 v => NativeMethods.Prepared.BindHugeInt(handle, index, new DuckDbHugeInt(v)),
            UInt128 v => NativeMethods.Prepared.BindUHugeInt(handle, index, new DuckDbUHugeInt(v)),
            BigInteger v => BindBigInteger(handle, index, v),
            float v => NativeMethods.Prepared.BindFloat(handle, index, v),
            double v => NativeMethods.Prepared.BindDouble(handle, index, v),
            decimal v => NativeMethods.Prepared.BindDecimal(handle, index, DuckDbValueConversions.ToDecimal(v)),
            string v => BindString(handle, index, v),
            char v => BindString(handle, index, v.ToString()),
            byte[] v => BindBlob(handle, index, v),
            ReadOnlyMemory<byte> v => BindBlob(handle, index, v.Span),
            Memory<byte> v => BindBlob(handle, index, v.Span),
            DateTime v => NativeMethods.Prepared.BindTimestamp(handle, index, DuckDbValueConversions.ToTimestampMicros(v)),
            DateTimeOffset v => NativeMethods.Prepared.BindTimestampTz(handle, index, DuckDbValueConversions.ToTimestampMicros(v)),
            DateOnly v => NativeMethods.Prepared.BindDate(handle, index, DuckDbValueConversions.ToDays(v)),
            TimeOnly v => NativeMethods.Prepared.BindTime(handle, index, DuckDbValueConversions.ToTimeMicros(v)),
            TimeSpan v => NativeMethods.Prepared.BindInterval(handle, index, DuckDbValueConversions.ToInterval(v)),
            DuckDbInterval v => NativeMethods.Prepared.BindInterval(handle, index, DuckDbValueConversions.ToInterval(v)),
            Guid v => BindOwnedValue(handle, index, NativeMethods.Helpers.CreateUuid(DuckDbValueConversions.ToUuid(v))),
            Enum v => BindEnum(oneBasedIndex, v),
            _ => throw new NotSupportedException(
                $"A value of type '{value.GetType()}' cannot be bound to parameter {oneBasedIndex}. Convert it to a string, number, byte array or date/time type first."),
        };

        DuckDbErrors.ThrowIfFailed(state, handle);
    }

    public void ClearBindings() => DuckDbErrors.ThrowIfFailed(NativeMethods.Prepared.ClearBindings(Handle), Handle);

    public DuckDbResultReader Execute() => new(ExecuteCore());

    public long ExecuteNonQuery()
    {
        using DuckDbResultHandle result = ExecuteCore();
        return (long)NativeMethods.Query.RowsChanged(result);
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
            DuckDbErrors.ThrowIfFailed(NativeMethods.Prepared.ExecutePrepared(Handle, result), result);
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

    private DuckDbState BindEnum(int oneBasedIndex, Enum value)
    {
        Bind(oneBasedIndex, DuckDbValueConversions.FromEnum(value));
        return DuckDbState.Success;
    }

    private static DuckDbState BindBigInteger(DuckDbPreparedStatementHandle handle, ulong index, BigInteger value)
    {
        if (DuckDbValueConversions.TryToInt128(value, out Int128 signed))
        {
            return NativeMethods.Prepared.BindHugeInt(handle, index, new DuckDbHugeInt(signed));
        }

        if (DuckDbValueConversions.TryToUInt128(value, out UInt128 unsigned))
        {
            return NativeMethods.Prepared.BindUHugeInt(handle, index, new DuckDbUHugeInt(unsigned));
        }

        throw new OverflowException($"The BigInteger bound to parameter {index} does not fit in DuckDB's HUGEINT or UHUGEINT (128 bits).");
    }

    private static DuckDbState BindOwnedValue(DuckDbPreparedStatementHandle handle, ulong index, DuckDbValueHandle value)
    {
        // duckdb_bind_value copies the value, so ours is released straight away.
        using (value)
        {
            return NativeMethods.Prepared.BindValue(handle, index, value);
        }
    }

    private static unsafe DuckDbState BindString(DuckDbPreparedStatementHandle handle, ulong index, string value)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> buffer = maxBytes <= StackBufferSize ? stackalloc byte[StackBufferSize] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            int length = Encoding.UTF8.GetBytes(value, buffer);
            fixed (byte* utf8 = buffer)
            {
                return NativeMethods.Prepared.BindVarcharLength(handle, index, utf8, (ulong)length);
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

    private static unsafe DuckDbState BindBlob(DuckDbPreparedStatementHandle handle, ulong index, ReadOnlySpan<byte> value)
    {
        // A non-null pointer even for an empty blob, so DuckDB sees an empty value rather than a missing one.
        byte dummy = 0;
        fixed (byte* data = value)
        {
            return NativeMethods.Prepared.BindBlob(handle, index, value.IsEmpty ? &dummy : data, (ulong)value.Length);
        }
    }
}
