using Npgsql;
using Npgsql.Replication.PgOutput;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// Reads one PostgreSQL value as the CLR value <see cref="SidecarChange"/> documents, from the binary COPY of the
/// initial load or from a binary logical-replication tuple, so both paths hand the mirror the same values. Numerics,
/// json, jsonb and enums are COPYed as <c>::text</c> and decoded from their raw binary form in replication (their
/// exact text either way); the other kinds are read by Npgsql's binary readers. Arrays come as arrays of nullable
/// elements (<c>long?[]</c>, <c>string?[]</c>…).
/// </summary>
internal static class PostgreSqlValueReader
{
    /// <summary>Reads the exporter's next value (the COPY selected <see cref="PostgreSqlColumnType.CopiedAsText"/> columns as text).</summary>
    public static async ValueTask<object?> ReadCopiedAsync(NpgsqlBinaryExporter exporter, PostgreSqlColumnType type, CancellationToken cancellationToken)
    {
        if (exporter.IsNull)
        {
            await exporter.SkipAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        return type.Kind switch
        {
            PostgreSqlValueKind.Decimal or PostgreSqlValueKind.WideDecimal or PostgreSqlValueKind.NumericText
                => PostgreSqlTypeMap.FromNumericText(type, await exporter.ReadAsync<string>(cancellationToken).ConfigureAwait(false)),
            PostgreSqlValueKind.TextCast or PostgreSqlValueKind.Text => await exporter.ReadAsync<string>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Int16 => await exporter.ReadAsync<short>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Int32 => await exporter.ReadAsync<int>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Int64 => await exporter.ReadAsync<long>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Float32 => await exporter.ReadAsync<float>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Float64 => await exporter.ReadAsync<double>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Boolean => await exporter.ReadAsync<bool>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Bytea => await exporter.ReadAsync<byte[]>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Date => PostgreSqlTypeMap.CheckFinite(await exporter.ReadAsync<DateOnly>(cancellationToken).ConfigureAwait(false)),
            PostgreSqlValueKind.Time => await exporter.ReadAsync<TimeOnly>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Timestamp => PostgreSqlTypeMap.CheckFinite(await exporter.ReadAsync<DateTime>(cancellationToken).ConfigureAwait(false)),
            PostgreSqlValueKind.TimestampTz => ToOffset(await exporter.ReadAsync<DateTime>(cancellationToken).ConfigureAwait(false)),
            PostgreSqlValueKind.Uuid => await exporter.ReadAsync<Guid>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Array => await ReadCopiedArrayAsync(exporter, type.ElementKind!.Value, cancellationToken).ConfigureAwait(false),
            _ => throw new PostgreSqlUnmappableValueException($"no reader for {type.Kind}"),
        };
    }

    /// <summary>Reads one value of a replication tuple: null, <see cref="SidecarUnchangedValue.Instance"/> for an unchanged TOASTed value, or the CLR value.</summary>
    public static async ValueTask<object?> ReadReplicatedAsync(ReplicationValue value, PostgreSqlColumnType type, CancellationToken cancellationToken)
    {
        switch (value.Kind)
        {
            case TupleDataKind.Null:
                return null;
            case TupleDataKind.UnchangedToastedValue:
                return SidecarUnchangedValue.Instance;
            case TupleDataKind.TextValue:
                throw new PostgreSqlUnmappableValueException("the server sent a text-format value where binary was asked for");
        }

        switch (type.Kind)
        {
            case PostgreSqlValueKind.Decimal or PostgreSqlValueKind.WideDecimal or PostgreSqlValueKind.NumericText:
                return PostgreSqlTypeMap.FromNumericText(type, PostgreSqlTypeMap.NumericBinaryToText(await RawAsync(value, cancellationToken).ConfigureAwait(false)));
            case PostgreSqlValueKind.TextCast:
                return PostgreSqlTypeMap.TextCastBinaryToText(await RawAsync(value, cancellationToken).ConfigureAwait(false), type.IsJsonb);
        }

        return type.Kind switch
        {
            PostgreSqlValueKind.Text => await value.Get<string>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Int16 => await value.Get<short>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Int32 => await value.Get<int>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Int64 => await value.Get<long>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Float32 => await value.Get<float>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Float64 => await value.Get<double>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Boolean => await value.Get<bool>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Bytea => await value.Get<byte[]>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Date => PostgreSqlTypeMap.CheckFinite(await value.Get<DateOnly>(cancellationToken).ConfigureAwait(false)),
            PostgreSqlValueKind.Time => await value.Get<TimeOnly>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Timestamp => PostgreSqlTypeMap.CheckFinite(await value.Get<DateTime>(cancellationToken).ConfigureAwait(false)),
            PostgreSqlValueKind.TimestampTz => ToOffset(await value.Get<DateTime>(cancellationToken).ConfigureAwait(false)),
            PostgreSqlValueKind.Uuid => await value.Get<Guid>(cancellationToken).ConfigureAwait(false),
            PostgreSqlValueKind.Array => await ReadReplicatedArrayAsync(value, type.ElementKind!.Value, cancellationToken).ConfigureAwait(false),
            _ => throw new PostgreSqlUnmappableValueException($"no reader for {type.Kind}"),
        };
    }

    private static async ValueTask<byte[]> RawAsync(ReplicationValue value, CancellationToken cancellationToken)
    {
        var bytes = new byte[value.Length];
        await using var stream = value.GetStream();
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    private static object ToOffset(DateTime utc)
    {
        PostgreSqlTypeMap.CheckFinite(utc);
        return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
    }

    private static async ValueTask<object> ReadCopiedArrayAsync(NpgsqlBinaryExporter exporter, PostgreSqlValueKind element, CancellationToken cancellationToken)
    {
        try
        {
            return element switch
            {
                PostgreSqlValueKind.Int16 => await exporter.ReadAsync<short?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Int32 => await exporter.ReadAsync<int?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Int64 => await exporter.ReadAsync<long?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Float32 => await exporter.ReadAsync<float?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Float64 => await exporter.ReadAsync<double?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Boolean => await exporter.ReadAsync<bool?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Text => await exporter.ReadAsync<string?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Uuid => await exporter.ReadAsync<Guid?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Date => await exporter.ReadAsync<DateOnly?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Timestamp => await exporter.ReadAsync<DateTime?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.TimestampTz => ToOffsets(await exporter.ReadAsync<DateTime?[]>(cancellationToken).ConfigureAwait(false)),
                _ => throw new PostgreSqlUnmappableValueException($"arrays of {element} have no list mapping"),
            };
        }
        catch (InvalidCastException ex)
        {
            // Npgsql refuses a multi-dimensional array read as a one-dimensional one.
            throw new PostgreSqlUnmappableValueException($"an array value does not fit a one-dimensional list ({ex.GetType().Name})");
        }
    }

    private static async ValueTask<object> ReadReplicatedArrayAsync(ReplicationValue value, PostgreSqlValueKind element, CancellationToken cancellationToken)
    {
        try
        {
            return element switch
            {
                PostgreSqlValueKind.Int16 => await value.Get<short?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Int32 => await value.Get<int?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Int64 => await value.Get<long?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Float32 => await value.Get<float?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Float64 => await value.Get<double?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Boolean => await value.Get<bool?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Text => await value.Get<string?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Uuid => await value.Get<Guid?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Date => await value.Get<DateOnly?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.Timestamp => await value.Get<DateTime?[]>(cancellationToken).ConfigureAwait(false),
                PostgreSqlValueKind.TimestampTz => ToOffsets(await value.Get<DateTime?[]>(cancellationToken).ConfigureAwait(false)),
                _ => throw new PostgreSqlUnmappableValueException($"arrays of {element} have no list mapping"),
            };
        }
        catch (InvalidCastException ex)
        {
            throw new PostgreSqlUnmappableValueException($"an array value does not fit a one-dimensional list ({ex.GetType().Name})");
        }
    }

    private static DateTimeOffset?[] ToOffsets(DateTime?[] values)
        => Array.ConvertAll(values, v => v is { } d ? new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)) : (DateTimeOffset?)null);
}
