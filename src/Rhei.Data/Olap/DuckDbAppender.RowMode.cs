using System.Numerics;
using DuckDB.NET.Native;
using Rhei.Data.Olap.Native;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Olap;

/// <summary>
/// The appender's per-value path: values of any CLR type, and the switch from chunk writing to DuckDB's
/// per-value appends when a value does not fit its column as it is (see the remarks on the class).
/// </summary>
internal sealed unsafe partial class DuckDbAppender
{
    /// <summary>Appends a value of any supported CLR type (the same set as parameter binding).</summary>
    public void AppendValue(object? v)
    {
        EnsureOpen();
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

            // Widening to long is what DuckDB's integer casts do too, whatever the target column.
            case sbyte x: Append((long)x); return;
            case short x: Append((long)x); return;
            case int x: Append((long)x); return;
            case byte x: Append((long)x); return;
            case ushort x: Append((long)x); return;
            case uint x: Append((long)x); return;
        }

        EnterRowMode();
        if (v is BigInteger big)
        {
            AppendBigInteger(big);
            return;
        }

        DuckDBState state = v switch
        {
            ulong x => DuckDbNativeMethods.Appender.AppendUInt64(_appender, x),
            Int128 x => DuckDbNativeMethods.Appender.AppendHugeInt(_appender, DuckDbValueConversions.ToHugeInt(x)),
            UInt128 x => DuckDbNativeMethods.Appender.AppendUHugeInt(_appender, DuckDbValueConversions.ToUHugeInt(x)),
            float x => DuckDbNativeMethods.Appender.AppendFloat(_appender, x),
            decimal x => AppendOwnedValue(DuckDBNative.Value.DuckDBCreateDecimal(DuckDbValueConversions.ToDecimal(x))),
            DateTime x => DuckDbNativeMethods.Appender.AppendTimestamp(_appender, DuckDbValueConversions.ToTimestampMicros(x)),
            DateTimeOffset x => AppendOwnedValue(DuckDBNative.Value.DuckDBCreateTimestampTz(new DuckDBTimestampStruct { Micros = DuckDbValueConversions.ToTimestampMicros(x) })),
            DateOnly x => DuckDbNativeMethods.Appender.AppendDate(_appender, DuckDbValueConversions.ToDays(x)),
            TimeOnly x => DuckDbNativeMethods.Appender.AppendTime(_appender, DuckDbValueConversions.ToTimeMicros(x)),
            TimeSpan x => DuckDbNativeMethods.Appender.AppendInterval(_appender, DuckDbValueConversions.ToInterval(x)),
            DuckDbInterval x => DuckDbNativeMethods.Appender.AppendInterval(_appender, DuckDbValueConversions.ToInterval(x)),
            Guid x => AppendOwnedValue(DuckDBNative.Value.DuckDBCreateUuid(DuckDbValueConversions.ToUuid(x))),
            _ => throw new NotSupportedException(
                $"A value of type '{v.GetType()}' cannot be appended. Convert it to a string, number, byte array or date/time type first."),
        };

        CheckValue(state);
    }

    /// <summary>
    /// Switches to DuckDB's per-value appends for a value the chunk cannot take as it is: complete rows go over as a
    /// chunk first and the current row's earlier values are replayed, so order and casts stay DuckDB's.
    /// </summary>
    private void EnterRowMode()
    {
        if (_rowMode)
        {
            return;
        }

        int column = PeekColumn();
        int partialRow = _row;

        // The rows before the current one; the chunk's memory (the partial row included) is intact until reset.
        if (_row > 0)
        {
            DuckDBNative.DataChunks.DuckDBDataChunkSetSize(_chunkHandle!, (ulong)_row);
            Check(DuckDbNativeMethods.Appender.AppendDataChunk(_appender, _chunk), prefix: null);
        }

        _rowMode = true;
        _column = 0;
        try
        {
            for (int c = 0; c < column; c++)
            {
                ReplayCell(c, partialRow);
            }
        }
        finally
        {
            ResetChunk();
        }
    }

    private void ReplayCell(int column, int row)
    {
        ulong* validity = _validity[column];
        if (validity is not null && (validity[row >> 6] & (1UL << (row & 63))) == 0)
        {
            CheckValue(DuckDbNativeMethods.Appender.AppendNull(_appender));
            return;
        }

        byte* data = _data[column];
        DuckDBState state;
        switch (_kinds[column])
        {
            case ColumnKind.Boolean:
                state = DuckDbNativeMethods.Appender.AppendBool(_appender, data[row] != 0);
                break;
            case ColumnKind.Integer:
                state = DuckDbNativeMethods.Appender.AppendInt32(_appender, ((int*)data)[row]);
                break;
            case ColumnKind.BigInt:
                state = DuckDbNativeMethods.Appender.AppendInt64(_appender, ((long*)data)[row]);
                break;
            case ColumnKind.Double:
                state = DuckDbNativeMethods.Appender.AppendDouble(_appender, ((double*)data)[row]);
                break;
            default:
                byte* cell = data + ((long)row * StringSize);
                uint length = *(uint*)cell;
                byte* bytes = length <= InlineStringLength ? cell + 4 : *(byte**)(cell + 8);
                state = _kinds[column] == ColumnKind.Varchar
                    ? DuckDbNativeMethods.Appender.AppendVarcharLength(_appender, bytes, length)
                    : AppendBlobRaw(bytes, length);
                break;
        }

        CheckValue(state);
    }

    private void AppendBlobRow(ReadOnlySpan<byte> blob)
    {
        fixed (byte* data = blob)
        {
            CheckValue(AppendBlobRaw(data, (ulong)blob.Length));
        }
    }

    private DuckDBState AppendBlobRaw(byte* data, ulong length)
    {
        // A non-null pointer for an empty blob so DuckDB records an empty value, not a missing one.
        byte empty = 0;
        return DuckDbNativeMethods.Appender.AppendBlob(_appender, length == 0 ? &empty : data, length);
    }

    private void AppendBigInteger(BigInteger value)
    {
        if (DuckDbValueConversions.TryToInt128(value, out Int128 signed))
        {
            CheckValue(DuckDbNativeMethods.Appender.AppendHugeInt(_appender, DuckDbValueConversions.ToHugeInt(signed)));
        }
        else if (DuckDbValueConversions.TryToUInt128(value, out UInt128 unsigned))
        {
            CheckValue(DuckDbNativeMethods.Appender.AppendUHugeInt(_appender, DuckDbValueConversions.ToUHugeInt(unsigned)));
        }
        else
        {
            throw new OverflowException("The BigInteger does not fit in DuckDB's HUGEINT or UHUGEINT (128 bits).");
        }
    }

    private DuckDBState AppendOwnedValue(DuckDBValue value)
    {
        // duckdb_append_value copies the value, so ours is released straight away.
        using (value)
        {
            return DuckDbNativeMethods.Appender.AppendValue(_appender, value);
        }
    }
}
