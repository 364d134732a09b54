using System.Globalization;
using System.Text;
using DuckDB.NET.Native;
using Npgsql;
using Rhei.Data.Olap;
using DuckDBNative = DuckDB.NET.Native.NativeMethods;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Up to <see cref="Capacity"/> rows of a binary COPY written straight into a DuckDB data chunk of the mirror's column
/// types, then handed whole to the appender (<see cref="DuckDbAppender.AppendDataChunk"/>) and reused: each value is
/// read with Npgsql's typed reader (<c>ReadAsync&lt;long&gt;</c>, <c>&lt;DateTime&gt;</c>…, no boxing) and stored in
/// DuckDB's own representation (timestamps as microseconds since 1970, dates as days, a DECIMAL(p ≤ 18) as its
/// unscaled integer), text as UTF-8 inline or in the vector's string heap. The same values the row path
/// (<see cref="PostgreSqlValueReader"/>) hands the mirror, without a managed value per cell or a native call per value.
/// Tables with a column it does not cover (uuid, arrays, numerics wider than 18 digits) take the row path.
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

    private readonly PostgreSqlColumnType[] _types;
    private readonly DuckDBDataChunk _chunk;
    private readonly nint[] _vectors;
    private readonly unsafe byte*[] _data;
    private readonly unsafe ulong*[] _validity;
    private readonly long[] _decimalFactors;
    private readonly int[] _decimalWidths;
    private byte[] _scratch = new byte[256];
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

    /// <summary>The column whose value the last failed <see cref="ReadRowAsync"/> could not map.</summary>
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
    /// Reads the exporter's current row (after <c>StartRowAsync</c>) into the chunk. A value that cannot map throws
    /// <see cref="PostgreSqlUnmappableValueException"/> after the rest of the row is skipped, the row not counted.
    /// </summary>
    public async ValueTask ReadRowAsync(NpgsqlBinaryExporter exporter, CancellationToken cancellationToken)
    {
        var row = _count;
        for (var i = 0; i < _types.Length; i++)
        {
            try
            {
                await ReadValueAsync(exporter, i, row, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgreSqlUnmappableValueException)
            {
                FailedColumn = i;
                for (var rest = i + 1; rest < _types.Length; rest++)
                {
                    await exporter.SkipAsync(cancellationToken).ConfigureAwait(false);
                }

                throw;
            }
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
            DuckDBNative.DataChunks.DuckDBDataChunkReset(_chunk);
            _count = 0;
            _byteCount = 0;
            LoadVectorPointers();
        }
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

    private async ValueTask ReadValueAsync(NpgsqlBinaryExporter exporter, int column, int row, CancellationToken cancellationToken)
    {
        if (exporter.IsNull)
        {
            await exporter.SkipAsync(cancellationToken).ConfigureAwait(false);
            SetNull(column, row);
            return;
        }

        // Each value is awaited first and stored after: no pointer lives across an await.
        var type = _types[column];
        switch (type.Kind)
        {
            case PostgreSqlValueKind.Int16:
                Store(column, row, await exporter.ReadAsync<short>(cancellationToken).ConfigureAwait(false));
                break;
            case PostgreSqlValueKind.Int32:
                Store(column, row, await exporter.ReadAsync<int>(cancellationToken).ConfigureAwait(false));
                break;
            case PostgreSqlValueKind.Int64:
                Store(column, row, await exporter.ReadAsync<long>(cancellationToken).ConfigureAwait(false));
                break;
            case PostgreSqlValueKind.Float32:
                Store(column, row, await exporter.ReadAsync<float>(cancellationToken).ConfigureAwait(false));
                break;
            case PostgreSqlValueKind.Float64:
                Store(column, row, await exporter.ReadAsync<double>(cancellationToken).ConfigureAwait(false));
                break;
            case PostgreSqlValueKind.Boolean:
                Store(column, row, await exporter.ReadAsync<bool>(cancellationToken).ConfigureAwait(false) ? (byte)1 : (byte)0);
                break;
            case PostgreSqlValueKind.Date:
                // DuckDB's DATE: days since 1970-01-01.
                Store(column, row, PostgreSqlTypeMap.CheckFinite(await exporter.ReadAsync<DateOnly>(cancellationToken).ConfigureAwait(false)).DayNumber - UnixEpochDay);
                break;
            case PostgreSqlValueKind.Time:
                // DuckDB's TIME: microseconds since midnight.
                Store(column, row, (await exporter.ReadAsync<TimeOnly>(cancellationToken).ConfigureAwait(false)).Ticks / TimeSpan.TicksPerMicrosecond);
                break;
            case PostgreSqlValueKind.Timestamp or PostgreSqlValueKind.TimestampTz:
                // DuckDB's TIMESTAMP and TIMESTAMPTZ: microseconds since 1970-01-01 (UTC for TIMESTAMPTZ, as Npgsql reads it).
                Store(column, row, (PostgreSqlTypeMap.CheckFinite(await exporter.ReadAsync<DateTime>(cancellationToken).ConfigureAwait(false)).Ticks - UnixEpochTicks) / TimeSpan.TicksPerMicrosecond);
                break;
            case PostgreSqlValueKind.Decimal:
                WriteDecimal(column, row, (decimal)PostgreSqlTypeMap.FromNumericText(type, await exporter.ReadAsync<string>(cancellationToken).ConfigureAwait(false)));
                break;
            case PostgreSqlValueKind.Bytea:
                WriteBytes(column, row, await exporter.ReadAsync<byte[]>(cancellationToken).ConfigureAwait(false));
                break;
            default:
                WriteText(column, row, await exporter.ReadAsync<string>(cancellationToken).ConfigureAwait(false));
                break;
        }
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

    private void WriteText(int column, int row, string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (length > _scratch.Length)
        {
            _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        }

        var written = Encoding.UTF8.GetBytes(value, _scratch);
        WriteBytes(column, row, _scratch.AsSpan(0, written));
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
