using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using DuckDB.NET.Native;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Olap;

/// <summary>
/// Decodes one result column straight from the current chunk's vector memory. The type is resolved once
/// per result; per chunk only the data and validity pointers change; per cell there is no native call and,
/// for the numeric getters, no allocation.
/// </summary>
internal sealed unsafe class DuckDbVectorReader
{
    private const long TicksPerNanosecondDivisor = 100;

    private readonly DuckDbTypeId _typeId;
    private readonly DuckDbTypeId _storage;
    private readonly byte _scale;
    private readonly string[]? _enumValues;
    private byte* _data;
    private ulong* _validity;

    public DuckDbVectorReader(string name, DuckDBLogicalType type)
    {
        Name = name;
        _typeId = (DuckDbTypeId)DuckDBNative.LogicalType.DuckDBGetTypeId(type);
        _storage = _typeId;
        byte width = 0;
        switch (_typeId)
        {
            case DuckDbTypeId.Decimal:
                width = DuckDBNative.LogicalType.DuckDBDecimalWidth(type);
                _scale = DuckDBNative.LogicalType.DuckDBDecimalScale(type);
                _storage = (DuckDbTypeId)DuckDBNative.LogicalType.DuckDBDecimalInternalType(type);
                break;
            case DuckDbTypeId.Enum:
                _storage = (DuckDbTypeId)DuckDBNative.LogicalType.DuckDBEnumInternalType(type);
                _enumValues = new string[DuckDBNative.LogicalType.DuckDBEnumDictionarySize(type)];
                for (int i = 0; i < _enumValues.Length; i++)
                {
                    _enumValues[i] = DuckDBNative.LogicalType.DuckDBEnumDictionaryValue(type, i) ?? string.Empty;
                }

                break;
        }

        ColumnType = new DuckDbColumnType(_typeId, width, _scale);
    }

    public string Name { get; }

    public DuckDbColumnType ColumnType { get; }

    public void SetVector(nint vector)
    {
        _data = (byte*)DuckDBNative.Vectors.DuckDBVectorGetData(vector);
        _validity = DuckDBNative.Vectors.DuckDBVectorGetValidity(vector);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsNull(int row) => _validity != null && ((_validity[row >> 6] >> (row & 63)) & 1UL) == 0;

    public long GetInt64(int row)
    {
        ThrowIfNull(row);
        return _typeId switch
        {
            DuckDbTypeId.Boolean => _data[row] != 0 ? 1 : 0,
            DuckDbTypeId.TinyInt => ((sbyte*)_data)[row],
            DuckDbTypeId.SmallInt => ((short*)_data)[row],
            DuckDbTypeId.Integer => ((int*)_data)[row],
            DuckDbTypeId.BigInt => ((long*)_data)[row],
            DuckDbTypeId.UTinyInt => _data[row],
            DuckDbTypeId.USmallInt => ((ushort*)_data)[row],
            DuckDbTypeId.UInteger => ((uint*)_data)[row],
            DuckDbTypeId.UBigInt => checked((long)((ulong*)_data)[row]),
            DuckDbTypeId.HugeInt => checked((long)ReadInt128(row)),
            DuckDbTypeId.UHugeInt => checked((long)ReadUInt128(row)),
            DuckDbTypeId.Float => (long)((float*)_data)[row],
            DuckDbTypeId.Double => (long)((double*)_data)[row],
            DuckDbTypeId.Decimal => (long)GetDecimal(row),
            _ => throw InvalidCast(nameof(Int64)),
        };
    }

    public double GetDouble(int row)
    {
        ThrowIfNull(row);
        return _typeId switch
        {
            DuckDbTypeId.Float => ((float*)_data)[row],
            DuckDbTypeId.Double => ((double*)_data)[row],
            DuckDbTypeId.Decimal => GetDecimalAsDouble(row),
            DuckDbTypeId.UBigInt => ((ulong*)_data)[row],
            DuckDbTypeId.HugeInt => (double)ReadInt128(row),
            DuckDbTypeId.UHugeInt => (double)ReadUInt128(row),
            DuckDbTypeId.Boolean or DuckDbTypeId.TinyInt or DuckDbTypeId.SmallInt or DuckDbTypeId.Integer or DuckDbTypeId.BigInt
                or DuckDbTypeId.UTinyInt or DuckDbTypeId.USmallInt or DuckDbTypeId.UInteger => GetInt64(row),
            _ => throw InvalidCast(nameof(Double)),
        };
    }

    public string GetString(int row)
    {
        ThrowIfNull(row);
        return _typeId switch
        {
            DuckDbTypeId.Varchar or DuckDbTypeId.Blob => Encoding.UTF8.GetString(ReadStringBytes(row)),
            DuckDbTypeId.Enum => _enumValues![ReadEnumIndex(row)],
            _ => GetSqliteValue(row) switch
            {
                string text => text,
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => throw InvalidCast(nameof(String)),
            },
        };
    }

    public byte[] GetBytes(int row)
    {
        ThrowIfNull(row);
        return _typeId is DuckDbTypeId.Blob or DuckDbTypeId.Varchar ? ReadStringBytes(row).ToArray() : throw InvalidCast("byte[]");
    }

    public object GetNativeValue(int row)
    {
        if (IsNull(row))
        {
            return DBNull.Value;
        }

        return _typeId switch
        {
            DuckDbTypeId.Boolean => _data[row] != 0,
            DuckDbTypeId.TinyInt => ((sbyte*)_data)[row],
            DuckDbTypeId.SmallInt => ((short*)_data)[row],
            DuckDbTypeId.Integer => ((int*)_data)[row],
            DuckDbTypeId.BigInt => ((long*)_data)[row],
            DuckDbTypeId.UTinyInt => _data[row],
            DuckDbTypeId.USmallInt => ((ushort*)_data)[row],
            DuckDbTypeId.UInteger => ((uint*)_data)[row],
            DuckDbTypeId.UBigInt => ((ulong*)_data)[row],
            DuckDbTypeId.HugeInt => (BigInteger)ReadInt128(row),
            DuckDbTypeId.UHugeInt => (BigInteger)ReadUInt128(row),
            DuckDbTypeId.Float => ((float*)_data)[row],
            DuckDbTypeId.Double => ((double*)_data)[row],
            DuckDbTypeId.Decimal => GetDecimal(row),
            DuckDbTypeId.Varchar => Encoding.UTF8.GetString(ReadStringBytes(row)),
            DuckDbTypeId.Enum => _enumValues![ReadEnumIndex(row)],
            DuckDbTypeId.Blob => ReadStringBytes(row).ToArray(),
            DuckDbTypeId.Date => ToDateOnly(((int*)_data)[row]),
            DuckDbTypeId.Time => ToTimeOnly(((long*)_data)[row] * TimeSpan.TicksPerMicrosecond),
            DuckDbTypeId.TimeNs => ToTimeOnly(((long*)_data)[row] / TicksPerNanosecondDivisor),
            DuckDbTypeId.Timestamp => ToDateTime(((long*)_data)[row], TimeSpan.TicksPerMicrosecond, 1),
            DuckDbTypeId.TimestampS => ToDateTime(((long*)_data)[row], TimeSpan.TicksPerSecond, 1),
            DuckDbTypeId.TimestampMs => ToDateTime(((long*)_data)[row], TimeSpan.TicksPerMillisecond, 1),
            DuckDbTypeId.TimestampNs => ToDateTime(((long*)_data)[row], 1, TicksPerNanosecondDivisor),
            DuckDbTypeId.TimestampTz => ToDateTimeOffset(((long*)_data)[row]),
            DuckDbTypeId.Uuid => ReadUuid(row),
            DuckDbTypeId.Interval => ReadInterval(row),
            _ => throw Unsupported(),
        };
    }

    public object GetSqliteValue(int row)
    {
        if (IsNull(row))
        {
            return DBNull.Value;
        }

        switch (_typeId)
        {
            case DuckDbTypeId.Boolean:
            case DuckDbTypeId.TinyInt:
            case DuckDbTypeId.SmallInt:
            case DuckDbTypeId.Integer:
            case DuckDbTypeId.BigInt:
            case DuckDbTypeId.UTinyInt:
            case DuckDbTypeId.USmallInt:
            case DuckDbTypeId.UInteger:
                return GetInt64(row);
            case DuckDbTypeId.UBigInt:
                // Boxed per branch: a plain conditional would widen the long to double.
                ulong unsigned = ((ulong*)_data)[row];
                return unsigned <= long.MaxValue ? (object)(long)unsigned : (double)unsigned;
            case DuckDbTypeId.HugeInt:
                Int128 huge = ReadInt128(row);
                return huge >= long.MinValue && huge <= long.MaxValue ? (object)(long)huge : (double)huge;
            case DuckDbTypeId.UHugeInt:
                UInt128 uhuge = ReadUInt128(row);
                return uhuge <= long.MaxValue ? (object)(long)uhuge : (double)uhuge;
            case DuckDbTypeId.Float:
            case DuckDbTypeId.Double:
            case DuckDbTypeId.Decimal:
                return GetDouble(row);
            case DuckDbTypeId.Varchar:
                return Encoding.UTF8.GetString(ReadStringBytes(row));
            case DuckDbTypeId.Enum:
                return _enumValues![ReadEnumIndex(row)];
            case DuckDbTypeId.Uuid:
                return ReadUuid(row).ToString("D");
            case DuckDbTypeId.Blob:
                return ReadStringBytes(row).ToArray();
            case DuckDbTypeId.Date:
                return DuckDbTextFormat.FormatDate(((int*)_data)[row]);
            case DuckDbTypeId.Time:
                return DuckDbTextFormat.FormatTime(((long*)_data)[row], 1_000_000);
            case DuckDbTypeId.TimeNs:
                return DuckDbTextFormat.FormatTime(((long*)_data)[row], 1_000_000_000);
            case DuckDbTypeId.Timestamp:
            case DuckDbTypeId.TimestampTz:
                return DuckDbTextFormat.FormatTimestamp(((long*)_data)[row], 1_000_000);
            case DuckDbTypeId.TimestampS:
                return DuckDbTextFormat.FormatTimestamp(((long*)_data)[row], 1);
            case DuckDbTypeId.TimestampMs:
                return DuckDbTextFormat.FormatTimestamp(((long*)_data)[row], 1_000);
            case DuckDbTypeId.TimestampNs:
                return DuckDbTextFormat.FormatTimestamp(((long*)_data)[row], 1_000_000_000);
            case DuckDbTypeId.Interval:
                DuckDbInterval interval = ReadInterval(row);
                return DuckDbTextFormat.FormatInterval(interval.Months, interval.Days, interval.Micros);
            default:
                throw Unsupported();
        }
    }

    /// <summary>Type of <see cref="GetSqliteValue"/>; <paramref name="row"/> is -1 when there is no current row.</summary>
    public Type GetSqliteFieldType(int row)
    {
        switch (_typeId)
        {
            case DuckDbTypeId.UBigInt:
            case DuckDbTypeId.HugeInt:
            case DuckDbTypeId.UHugeInt:
                return row >= 0 && !IsNull(row) ? GetSqliteValue(row).GetType() : typeof(long);
            case DuckDbTypeId.Boolean:
            case DuckDbTypeId.TinyInt:
            case DuckDbTypeId.SmallInt:
            case DuckDbTypeId.Integer:
            case DuckDbTypeId.BigInt:
            case DuckDbTypeId.UTinyInt:
            case DuckDbTypeId.USmallInt:
            case DuckDbTypeId.UInteger:
                return typeof(long);
            case DuckDbTypeId.Float:
            case DuckDbTypeId.Double:
            case DuckDbTypeId.Decimal:
                return typeof(double);
            case DuckDbTypeId.Blob:
                return typeof(byte[]);
            case DuckDbTypeId.Varchar:
            case DuckDbTypeId.Enum:
            case DuckDbTypeId.Uuid:
            case DuckDbTypeId.Date:
            case DuckDbTypeId.Time:
            case DuckDbTypeId.TimeNs:
            case DuckDbTypeId.Timestamp:
            case DuckDbTypeId.TimestampS:
            case DuckDbTypeId.TimestampMs:
            case DuckDbTypeId.TimestampNs:
            case DuckDbTypeId.TimestampTz:
            case DuckDbTypeId.Interval:
                return typeof(string);
            default:
                throw Unsupported();
        }
    }

    private decimal GetDecimal(int row)
    {
        Int128 raw = ReadDecimalRaw(row);
        UInt128 magnitude = raw < 0 ? (UInt128)(-raw) : (UInt128)raw;
        if (_scale <= 28 && (magnitude >> 96) == 0)
        {
            return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), raw < 0, _scale);
        }

        // Wider than decimal's 96-bit mantissa or scale 28: let the parser round (or report the overflow).
        Span<char> text = stackalloc char[96];
        int length = FormatScaled(raw, text);
        return decimal.Parse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private double GetDecimalAsDouble(int row)
    {
        // Parsing the exact decimal text gives the correctly rounded double without allocating.
        Span<char> text = stackalloc char[96];
        int length = FormatScaled(ReadDecimalRaw(row), text);
        return double.Parse(text[..length], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private int FormatScaled(Int128 raw, Span<char> text)
    {
        raw.TryFormat(text, out int length, default, CultureInfo.InvariantCulture);
        if (_scale > 0)
        {
            text[length++] = 'E';
            text[length++] = '-';
            ((int)_scale).TryFormat(text[length..], out int written, default, CultureInfo.InvariantCulture);
            length += written;
        }

        return length;
    }

    private Int128 ReadDecimalRaw(int row) => _storage switch
    {
        DuckDbTypeId.SmallInt => ((short*)_data)[row],
        DuckDbTypeId.Integer => ((int*)_data)[row],
        DuckDbTypeId.BigInt => ((long*)_data)[row],
        _ => ReadInt128(row),
    };

    private int ReadEnumIndex(int row) => _storage switch
    {
        DuckDbTypeId.UTinyInt => _data[row],
        DuckDbTypeId.USmallInt => ((ushort*)_data)[row],
        _ => checked((int)((uint*)_data)[row]),
    };

    // duckdb_hugeint is {lower, upper}, which is Int128's little-endian layout.
    private Int128 ReadInt128(int row) => Unsafe.ReadUnaligned<Int128>(_data + (row * 16L));

    private UInt128 ReadUInt128(int row) => Unsafe.ReadUnaligned<UInt128>(_data + (row * 16L));

    private Guid ReadUuid(int row)
    {
        byte* cell = _data + (row * 16L);
        return DuckDbValueConversions.FromUuidStorage(*(ulong*)cell, *(long*)(cell + 8));
    }

    private DuckDbInterval ReadInterval(int row)
    {
        // duckdb_interval: int32 months, int32 days, int64 micros (16 bytes).
        byte* cell = _data + (row * 16L);
        return new DuckDbInterval(*(int*)cell, *(int*)(cell + 4), *(long*)(cell + 8));
    }

    /// <summary>duckdb_string_t: uint32 length, then 12 inline bytes, or a 4-byte prefix and a pointer to the whole string.</summary>
    private ReadOnlySpan<byte> ReadStringBytes(int row)
    {
        byte* cell = _data + (row * 16L);
        uint length = *(uint*)cell;
        byte* bytes = length <= 12 ? cell + 4 : *(byte**)(cell + 8);
        return new ReadOnlySpan<byte>(bytes, checked((int)length));
    }

    private DateOnly ToDateOnly(int days)
    {
        // ±infinity has no DateOnly; the extremes stand for it, as Npgsql does.
        if (days == DuckDbTextFormat.DateInfinity)
        {
            return DateOnly.MaxValue;
        }

        if (days == -DuckDbTextFormat.DateInfinity)
        {
            return DateOnly.MinValue;
        }

        long dayNumber = days + 719_162L;
        if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
        {
            throw OutOfRange(DuckDbTextFormat.FormatDate(days), nameof(DateOnly));
        }

        return DateOnly.FromDayNumber((int)dayNumber);
    }

    private static TimeOnly ToTimeOnly(long ticks)
        => ticks >= TimeOnly.MaxValue.Ticks ? TimeOnly.MaxValue : new TimeOnly(ticks); // 24:00:00 is valid in DuckDB, not in TimeOnly

    private DateTime ToDateTime(long value, long ticksPerUnit, long unitsPerTick)
    {
        if (value == DuckDbTextFormat.TimestampInfinity)
        {
            return DateTime.MaxValue;
        }

        if (value == -DuckDbTextFormat.TimestampInfinity)
        {
            return DateTime.MinValue;
        }

        try
        {
            long ticks = checked((unitsPerTick == 1 ? value * ticksPerUnit : value / unitsPerTick) + 621_355_968_000_000_000L);
            return new DateTime(ticks, DateTimeKind.Unspecified);
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
        {
            throw OutOfRange(DuckDbTextFormat.FormatTimestamp(value, 10_000_000 / ticksPerUnit * unitsPerTick), nameof(DateTime));
        }
    }

    private DateTimeOffset ToDateTimeOffset(long micros)
    {
        DateTime utc = ToDateTime(micros, TimeSpan.TicksPerMicrosecond, 1);
        return new DateTimeOffset(utc.Ticks, TimeSpan.Zero);
    }

    private void ThrowIfNull(int row)
    {
        if (IsNull(row))
        {
            throw new InvalidCastException($"Column '{Name}' is NULL in the current row. Check IsDBNull before calling a typed getter.");
        }
    }

    private InvalidCastException InvalidCast(string target)
        => new($"Column '{Name}' has DuckDB type {ColumnType.TypeName}, which cannot be read as {target}. Use GetNativeValue or cast the column in SQL.");

    private OverflowException OutOfRange(string value, string target)
        => new($"The value {value} in column '{Name}' is outside the range of {target}. Read it with GetSqliteValue (text) instead.");

    private NotSupportedException Unsupported()
        => new($"Column '{Name}' has DuckDB type {ColumnType.TypeName}, which Rhei.Data does not read. Cast it to VARCHAR in the query (CAST(... AS VARCHAR)).");
}
