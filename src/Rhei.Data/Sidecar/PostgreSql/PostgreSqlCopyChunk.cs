using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DuckDB.NET.Native;
using Rhei.Data.Olap;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Up to <see cref="Capacity"/> rows of a binary COPY written straight into a DuckDB data chunk of the mirror's column
/// types, then handed whole to the appender (<see cref="DuckDbAppender.AppendDataChunk"/>) and reused: each field is
/// decoded from the COPY's own bytes (<see cref="PostgreSqlCopyStreamReader"/> hands over whole tuples) into DuckDB's
/// representation (big-endian integers and floats swapped, timestamps moved from PostgreSQL's 2000 epoch to
/// microseconds since 1970, dates to days since 1970, a DECIMAL(p ≤ 18) as its unscaled integer), text and bytea as
/// the bytes that came (inline or in the vector's string heap). No managed value per cell, no Npgsql call per value,
/// no native call per value. It checks what the row path (<see cref="PostgreSqlValueReader"/>, Npgsql's readers and
/// <see cref="PostgreSqlTypeMap.CheckFinite(DateTime)"/>) checks, so both hand the mirror the same values and refuse
/// the same ones. Tables with a column it does not cover (uuid, arrays, numerics wider than 18 digits) take the row path.
/// </summary>
internal sealed class PostgreSqlCopyChunk : IDisposable
{
    /// <summary>DuckDB's chunk size: a full batch is exactly one data chunk.</summary>
    public const int Capacity = 2048;

    // A chunk of wide text or blobs is handed over early, so large values stay within a few MB per chunk.
    private const int ByteBudget = 4 * 1024 * 1024;

    // duckdb_string_t: 16 bytes; up to 12 bytes are stored inline after the 4-byte length.
    private const int StringSize = 16;
    private const int InlineStringLength = 12;

    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    // PostgreSQL's binary dates and timestamps count from 2000-01-01.
    private static readonly DateTime PostgresEpoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly int PostgresEpochDayNumber = DateOnly.FromDateTime(PostgresEpoch).DayNumber;
    private static readonly long PostgresToUnixMicroseconds = (PostgresEpoch.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMicrosecond;

    // DateTime.MinValue is refused (the row path takes it for -infinity); the largest whole microsecond below MaxValue is kept.
    private static readonly long MinPostgresMicroseconds = (DateTime.MinValue.Ticks - PostgresEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
    private static readonly long MaxPostgresMicroseconds = (DateTime.MaxValue.Ticks - PostgresEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    private readonly PostgreSqlColumnType[] _types;
    private readonly DuckDBDataChunk _chunk;
    private readonly nint[] _vectors;
    private readonly unsafe byte*[] _data;
    private readonly unsafe ulong*[] _validity;
    private readonly long[] _decimalFactors;
    private readonly int[] _decimalWidths;
    private int _count;
    private long _byteCount;

    public unsafe PostgreSqlCopyChunk(PostgreSqlColumnType[] types)
    {
        _types = types;
        _decimalFactors = new long[types.Length];
        _decimalWidths = new int[types.Length];
        var logical = new DuckDBLogicalType[types.Length];
        try
        {
            var raw = new nint[types.Length];
            for (var i = 0; i < types.Length; i++)
            {
                logical[i] = CreateLogicalType(types[i]);
                raw[i] = logical[i].DangerousGetHandle();
                if (types[i].Kind == PostgreSqlValueKind.Decimal)
                {
                    _decimalWidths[i] = DecimalWidth(types[i]);
                    _decimalFactors[i] = 1;
                    for (var k = 0; k < types[i].Scale; k++)
                    {
                        _decimalFactors[i] *= 10;
                    }
                }
            }

            _chunk = DuckDBNative.DataChunks.DuckDBCreateDataChunk(raw, (ulong)types.Length);
            if (_chunk.IsInvalid)
            {
                _chunk.Dispose();
                throw new DuckDbException("DuckDB could not create a data chunk for the PostgreSQL copy.");
            }
        }
        finally
        {
            foreach (var type in logical)
            {
                type?.Dispose();
            }
        }

        _vectors = new nint[types.Length];
        _data = new byte*[types.Length];
        _validity = new ulong*[types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            _vectors[i] = DuckDBNative.DataChunks.DuckDBDataChunkGetVector(_chunk, i);
        }

        LoadVectorPointers();
    }

    public int Count => _count;

    /// <summary>The column whose value the last failed <see cref="AddRow"/> could not map.</summary>
    public int FailedColumn { get; private set; } = -1;

    public bool IsFull => _count == Capacity || _byteCount >= ByteBudget;

    /// <summary>Whether every column of a table can be written into a chunk (else the table takes the row path).</summary>
    public static bool Covers(IEnumerable<PostgreSqlColumnType> types) => types.All(t => t.Kind switch
    {
        PostgreSqlValueKind.Int16 or PostgreSqlValueKind.Int32 or PostgreSqlValueKind.Int64 or PostgreSqlValueKind.Float32
            or PostgreSqlValueKind.Float64 or PostgreSqlValueKind.Boolean or PostgreSqlValueKind.Text or PostgreSqlValueKind.TextCast
            or PostgreSqlValueKind.NumericText or PostgreSqlValueKind.Bytea or PostgreSqlValueKind.Date or PostgreSqlValueKind.Time
            or PostgreSqlValueKind.Timestamp or PostgreSqlValueKind.TimestampTz => true,
        PostgreSqlValueKind.Decimal => DecimalWidth(t) is > 0 and <= 18,
        _ => false,
    });

    /// <summary>
    /// Decodes one tuple of a binary COPY (its fields, after the field count) into the chunk's next row: each field's
    /// big-endian bytes straight into the vector, text and bytea as they arrived (UTF-8, the client encoding Npgsql
    /// sets). A value that cannot map throws <see cref="PostgreSqlUnmappableValueException"/>, the row not counted.
    /// </summary>
    public void AddRow(ReadOnlySpan<byte> fields)
    {
        var row = _count;
        var position = 0;
        for (var i = 0; i < _types.Length; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(fields[position..]);
            position += 4;
            if (length < 0)
            {
                SetNull(i, row);
                continue;
            }

            try
            {
                WriteValue(i, row, fields.Slice(position, length));
            }
            catch (PostgreSqlUnmappableValueException)
            {
                FailedColumn = i;
                ClearRow(row);
                throw;
            }

            position += length;
        }

        _count++;
    }

    /// <summary>Hands the rows to the appender as one chunk (DuckDB copies them), then empties the chunk for reuse.</summary>
    public void AppendTo(DuckDbAppender appender)
    {
        if (_count == 0)
        {
            return;
        }

        DuckDBNative.DataChunks.DuckDBDataChunkSetSize(_chunk, (ulong)_count);
        try
        {
            appender.AppendDataChunk(_chunk);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Empties the chunk for reuse (after an append, or when its rows are dropped).</summary>
    public void Reset()
    {
        DuckDBNative.DataChunks.DuckDBDataChunkReset(_chunk);
        _count = 0;
        _byteCount = 0;
        LoadVectorPointers();
    }

    public void Dispose() => _chunk.Dispose();

    private static int DecimalWidth(PostgreSqlColumnType type)
    {
        // "DECIMAL(p,s)", as PostgreSqlTypeMap writes it.
        var open = type.DuckDbType.IndexOf('(', StringComparison.Ordinal);
        var comma = type.DuckDbType.IndexOf(',', StringComparison.Ordinal);
        return open > 0 && comma > open && int.TryParse(type.DuckDbType.AsSpan(open + 1, comma - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var width) ? width : 0;
    }

    private static DuckDBLogicalType CreateLogicalType(PostgreSqlColumnType type)
    {
        if (type.Kind == PostgreSqlValueKind.Decimal)
        {
            return DuckDBNative.LogicalType.DuckDBCreateDecimalType((byte)DecimalWidth(type), (byte)type.Scale);
        }

        return DuckDBNative.LogicalType.DuckDBCreateLogicalType(type.Kind switch
        {
            PostgreSqlValueKind.Int16 => DuckDBType.SmallInt,
            PostgreSqlValueKind.Int32 => DuckDBType.Integer,
            PostgreSqlValueKind.Int64 => DuckDBType.BigInt,
            PostgreSqlValueKind.Float32 => DuckDBType.Float,
            PostgreSqlValueKind.Float64 => DuckDBType.Double,
            PostgreSqlValueKind.Boolean => DuckDBType.Boolean,
            PostgreSqlValueKind.Bytea => DuckDBType.Blob,
            PostgreSqlValueKind.Date => DuckDBType.Date,
            PostgreSqlValueKind.Time => DuckDBType.Time,
            PostgreSqlValueKind.Timestamp => DuckDBType.Timestamp,
            PostgreSqlValueKind.TimestampTz => DuckDBType.TimestampTz,
            _ => DuckDBType.Varchar,
        });
    }

    private void WriteValue(int column, int row, ReadOnlySpan<byte> value)
    {
        var type = _types[column];
        switch (type.Kind)
        {
            case PostgreSqlValueKind.Int16:
                Store(column, row, BinaryPrimitives.ReadInt16BigEndian(Sized(value, 2)));
                break;
            case PostgreSqlValueKind.Int32:
                Store(column, row, BinaryPrimitives.ReadInt32BigEndian(Sized(value, 4)));
                break;
            case PostgreSqlValueKind.Int64:
                Store(column, row, BinaryPrimitives.ReadInt64BigEndian(Sized(value, 8)));
                break;
            case PostgreSqlValueKind.Float32:
                Store(column, row, BinaryPrimitives.ReadSingleBigEndian(Sized(value, 4)));
                break;
            case PostgreSqlValueKind.Float64:
                Store(column, row, BinaryPrimitives.ReadDoubleBigEndian(Sized(value, 8)));
                break;
            case PostgreSqlValueKind.Boolean:
                Store(column, row, Sized(value, 1)[0] != 0 ? (byte)1 : (byte)0);
                break;
            case PostgreSqlValueKind.Date:
                Store(column, row, ToDuckDbDate(BinaryPrimitives.ReadInt32BigEndian(Sized(value, 4))));
                break;
            case PostgreSqlValueKind.Time:
                Store(column, row, ToDuckDbTime(BinaryPrimitives.ReadInt64BigEndian(Sized(value, 8))));
                break;
            case PostgreSqlValueKind.Timestamp or PostgreSqlValueKind.TimestampTz:
                Store(column, row, ToDuckDbTimestamp(BinaryPrimitives.ReadInt64BigEndian(Sized(value, 8))));
                break;
            case PostgreSqlValueKind.Decimal:
                // Selected as ::text: the exact digits, parsed and checked as the row path does.
                WriteDecimal(column, row, (decimal)PostgreSqlTypeMap.FromNumericText(type, Encoding.UTF8.GetString(value)));
                break;
            default:
                // Text, json/jsonb/enum (::text), numeric without precision (::text), bytea: the bytes as they came.
                WriteBytes(column, row, value);
                break;
        }
    }

    private static ReadOnlySpan<byte> Sized(ReadOnlySpan<byte> value, int length)
        => value.Length == length ? value : throw new PostgreSqlUnmappableValueException($"the server sent {value.Length} bytes for a {length}-byte value");

    /// <summary>
    /// PostgreSQL's days since 2000-01-01 as DuckDB's days since 1970-01-01, within the CLR's <see cref="DateOnly"/>
    /// range and refusing its extremes, as the row path's Npgsql read and <see cref="PostgreSqlTypeMap.CheckFinite(DateOnly)"/> do
    /// (±infinity arrive as int.MaxValue and int.MinValue).
    /// </summary>
    private static int ToDuckDbDate(int postgresDays)
    {
        var dayNumber = (long)postgresDays + PostgresEpochDayNumber;
        if (dayNumber <= DateOnly.MinValue.DayNumber || dayNumber >= DateOnly.MaxValue.DayNumber)
        {
            throw new PostgreSqlUnmappableValueException(postgresDays is int.MaxValue or int.MinValue ? "an infinite date has no CLR equivalent" : "a date outside the CLR's range has no CLR equivalent");
        }

        return (int)(dayNumber - UnixEpochDay);
    }

    /// <summary>Microseconds since midnight (the same in both engines); 24:00:00, which <see cref="TimeOnly"/> cannot hold, does not map.</summary>
    private static long ToDuckDbTime(long microseconds)
        => microseconds is >= 0 and < TimeSpan.TicksPerDay / TimeSpan.TicksPerMicrosecond
            ? microseconds
            : throw new PostgreSqlUnmappableValueException("a time of day outside 00:00–23:59:59.999999 has no CLR equivalent");

    /// <summary>
    /// PostgreSQL's microseconds since 2000-01-01 (UTC for timestamptz) as DuckDB's since 1970-01-01, within the CLR's
    /// <see cref="DateTime"/> range and refusing its extremes, as the row path does (±infinity arrive as long's extremes).
    /// </summary>
    private static long ToDuckDbTimestamp(long postgresMicroseconds)
    {
        if (postgresMicroseconds <= MinPostgresMicroseconds || postgresMicroseconds > MaxPostgresMicroseconds)
        {
            throw new PostgreSqlUnmappableValueException(postgresMicroseconds is long.MaxValue or long.MinValue ? "an infinite timestamp has no CLR equivalent" : "a timestamp outside the CLR's range has no CLR equivalent");
        }

        return postgresMicroseconds + PostgresToUnixMicroseconds;
    }

    private unsafe void Store<T>(int column, int row, T value)
        where T : unmanaged
        => ((T*)_data[column])[row] = value;

    /// <summary>A DECIMAL(p ≤ 18, s) is stored unscaled in the physical integer its width calls for.</summary>
    private unsafe void WriteDecimal(int column, int row, decimal value)
    {
        var unscaled = decimal.ToInt64(value * _decimalFactors[column]);
        var width = _decimalWidths[column];
        var data = _data[column];
        if (width <= 4)
        {
            ((short*)data)[row] = checked((short)unscaled);
        }
        else if (width <= 9)
        {
            ((int*)data)[row] = checked((int)unscaled);
        }
        else
        {
            ((long*)data)[row] = unscaled;
        }
    }

    private unsafe void WriteBytes(int column, int row, ReadOnlySpan<byte> value)
    {
        var cell = _data[column] + ((long)row * StringSize);
        if (value.Length <= InlineStringLength)
        {
            *(Int128*)cell = 0;
            *(uint*)cell = (uint)value.Length;
            value.CopyTo(new Span<byte>(cell + 4, InlineStringLength));
            return;
        }

        // Longer values live in the vector's string heap, which only DuckDB can allocate from.
        fixed (byte* bytes = value)
        {
            DuckDBNative.Vectors.DuckDBUnsafeVectorAssignStringElementLength(_vectors[column], (ulong)row, bytes, value.Length);
        }

        _byteCount += value.Length;
    }

    private unsafe void SetNull(int column, int row)
    {
        var validity = _validity[column];
        if (validity is null)
        {
            DuckDBNative.Vectors.DuckDBVectorEnsureValidityWritable(_vectors[column]);
            validity = _validity[column] = DuckDBNative.Vectors.DuckDBVectorGetValidity(_vectors[column]);
        }

        validity[row >> 6] &= ~(1UL << (row & 63));
        if (_types[column].Kind is PostgreSqlValueKind.Text or PostgreSqlValueKind.TextCast or PostgreSqlValueKind.NumericText or PostgreSqlValueKind.Bytea)
        {
            // A well-formed empty string_t, in case anything reads the slot without looking at validity first.
            *(Int128*)(_data[column] + ((long)row * StringSize)) = 0;
        }
    }

    /// <summary>Marks a half-written row valid again in every column, so nothing of it shows if the slot is reused.</summary>
    private unsafe void ClearRow(int row)
    {
        for (var i = 0; i < _types.Length; i++)
        {
            var validity = _validity[i];
            if (validity is not null)
            {
                validity[row >> 6] |= 1UL << (row & 63);
            }
        }
    }

    /// <summary>After creation and every reset: buffers may be reallocated, and validity must read all-valid again.</summary>
    private unsafe void LoadVectorPointers()
    {
        for (var i = 0; i < _types.Length; i++)
        {
            _data[i] = (byte*)DuckDBNative.Vectors.DuckDBVectorGetData(_vectors[i]);
            var validity = DuckDBNative.Vectors.DuckDBVectorGetValidity(_vectors[i]);
            if (validity is not null)
            {
                new Span<ulong>(validity, (Capacity + 63) / 64).Fill(ulong.MaxValue);
            }

            _validity[i] = validity;
        }
    }
}
