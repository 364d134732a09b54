using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Rhei.Data.Sidecar.PostgreSql;

/// <summary>
/// PostgreSQL column types → DuckDB column types with no loss of precision, and PostgreSQL values → the CLR values
/// <see cref="SidecarChange"/> documents. Integers, floats, bool, text/varchar/char, bytea, date, time, timestamp,
/// timestamptz and uuid map to their DuckDB namesakes; <c>numeric(p,s)</c> to <c>DECIMAL(p,s)</c> up to DuckDB's 38
/// digits (a <c>decimal</c> up to 28, the unscaled <c>BigInteger</c> beyond); a numeric with no precision or more
/// than 38 digits to VARCHAR holding its exact text (not quarantined: every value keeps every digit); json and
/// jsonb to VARCHAR (the JSON extension is not needed to read it); an enum to VARCHAR of its label; a
/// one-dimensional array of those scalars to a DuckDB list. Any other type (composite, range, geometric, domain,
/// interval…) has no mapping: the table is quarantined. A value its column cannot hold (NaN or infinity in a
/// DECIMAL, an infinite date or timestamp, a multi-dimensional array) raises <see cref="PostgreSqlUnmappableValueException"/>.
/// </summary>
internal static class PostgreSqlTypeMap
{
    private const int MaxClrDecimalPrecision = 28;
    private const int MaxDuckDbDecimalPrecision = 38;

    /// <summary>
    /// Maps a column from its catalog description: <paramref name="typeName"/> and <paramref name="typeType"/>
    /// (<c>pg_type.typname</c>/<c>typtype</c>), its type modifier, and for an array its element's name and type type.
    /// Null when the type has no mapping; <paramref name="reason"/> then says why.
    /// </summary>
    public static PostgreSqlColumnType? Map(string typeName, char typeType, int typeModifier, string? elementName, char? elementType, out string? reason)
    {
        reason = null;
        if (elementName is not null)
        {
            var element = MapScalar(elementName, elementType ?? 'b', -1);
            if (element is null || element.Kind is PostgreSqlValueKind.Decimal or PostgreSqlValueKind.WideDecimal or PostgreSqlValueKind.NumericText
                or PostgreSqlValueKind.TextCast or PostgreSqlValueKind.Bytea or PostgreSqlValueKind.Time)
            {
                reason = $"arrays of {elementName} have no DuckDB list mapping here";
                return null;
            }

            return new PostgreSqlColumnType(PostgreSqlValueKind.Array, element.Kind, element.DuckDbType + "[]", 0);
        }

        var scalar = MapScalar(typeName, typeType, typeModifier);
        if (scalar is null)
        {
            reason = $"type {typeName} has no DuckDB mapping";
        }

        return scalar;
    }

    private static PostgreSqlColumnType? MapScalar(string typeName, char typeType, int typeModifier)
    {
        if (typeType == 'e')
        {
            return new PostgreSqlColumnType(PostgreSqlValueKind.TextCast, null, "VARCHAR", 0);
        }

        if (typeType != 'b')
        {
            return null;
        }

        return typeName switch
        {
            "int2" => Simple(PostgreSqlValueKind.Int16, "SMALLINT"),
            "int4" => Simple(PostgreSqlValueKind.Int32, "INTEGER"),
            "int8" => Simple(PostgreSqlValueKind.Int64, "BIGINT"),
            "float4" => Simple(PostgreSqlValueKind.Float32, "FLOAT"),
            "float8" => Simple(PostgreSqlValueKind.Float64, "DOUBLE"),
            "numeric" => MapNumeric(typeModifier),
            "bool" => Simple(PostgreSqlValueKind.Boolean, "BOOLEAN"),
            "text" or "varchar" or "bpchar" or "name" => Simple(PostgreSqlValueKind.Text, "VARCHAR"),
            "bytea" => Simple(PostgreSqlValueKind.Bytea, "BLOB"),
            "date" => Simple(PostgreSqlValueKind.Date, "DATE"),
            "time" => Simple(PostgreSqlValueKind.Time, "TIME"),
            "timestamp" => Simple(PostgreSqlValueKind.Timestamp, "TIMESTAMP"),
            "timestamptz" => Simple(PostgreSqlValueKind.TimestampTz, "TIMESTAMPTZ"),
            "uuid" => Simple(PostgreSqlValueKind.Uuid, "UUID"),
            "json" => Simple(PostgreSqlValueKind.TextCast, "VARCHAR"),
            "jsonb" => Simple(PostgreSqlValueKind.TextCast, "VARCHAR") with { IsJsonb = true },
            _ => null,
        };
    }

    private static PostgreSqlColumnType Simple(PostgreSqlValueKind kind, string duckDbType) => new(kind, null, duckDbType, 0);

    private static PostgreSqlColumnType MapNumeric(int typeModifier)
    {
        // atttypmod of numeric(p,s) is ((p << 16) | s) + 4; -1 when unconstrained. A negative scale (PostgreSQL 15)
        // or a scale above the precision has no DECIMAL equivalent either: exact text.
        if (typeModifier < 4)
        {
            return Simple(PostgreSqlValueKind.NumericText, "VARCHAR");
        }

        var precision = ((typeModifier - 4) >> 16) & 0xFFFF;
        var scale = (typeModifier - 4) & 0x7FF;
        if (((typeModifier - 4) & 0x400) != 0 || scale > precision || precision > MaxDuckDbDecimalPrecision)
        {
            return Simple(PostgreSqlValueKind.NumericText, "VARCHAR");
        }

        return precision <= MaxClrDecimalPrecision
            ? new PostgreSqlColumnType(PostgreSqlValueKind.Decimal, null, $"DECIMAL({precision},{scale})", scale)
            : new PostgreSqlColumnType(PostgreSqlValueKind.WideDecimal, null, $"DECIMAL({precision},{scale})", scale);
    }

    /// <summary>Turns a numeric's exact text into the column's CLR value.</summary>
    public static object FromNumericText(PostgreSqlColumnType type, string text)
    {
        if (type.Kind == PostgreSqlValueKind.NumericText)
        {
            return text;
        }

        if (text is "NaN" or "Infinity" or "-Infinity")
        {
            throw new PostgreSqlUnmappableValueException($"the numeric value {text} has no {type.DuckDbType} equivalent");
        }

        if (type.Kind == PostgreSqlValueKind.Decimal)
        {
            return decimal.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }

        // Unscaled at the column's scale: "-12.5" at scale 3 → -12500.
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integral = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "" : text[(point + 1)..];
        if (fraction.Length > type.Scale)
        {
            throw new PostgreSqlUnmappableValueException($"the numeric value has more than {type.Scale} fractional digits");
        }

        return BigInteger.Parse(integral + fraction.PadRight(type.Scale, '0'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Decodes PostgreSQL's binary numeric (int16 digit count, int16 weight, uint16 sign, int16 display scale, base-10000
    /// digits) into its exact text, as <c>numeric::text</c> prints it.
    /// </summary>
    public static string NumericBinaryToText(ReadOnlySpan<byte> bytes)
    {
        var digitCount = BinaryPrimitives.ReadInt16BigEndian(bytes);
        var weight = BinaryPrimitives.ReadInt16BigEndian(bytes[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        var displayScale = BinaryPrimitives.ReadInt16BigEndian(bytes[6..]);
        switch (sign)
        {
            case 0xC000: return "NaN";
            case 0xD000: return "Infinity";
            case 0xF000: return "-Infinity";
        }

        var digits = BigInteger.Zero;
        for (var i = 0; i < digitCount; i++)
        {
            digits = (digits * 10000) + BinaryPrimitives.ReadInt16BigEndian(bytes[(8 + (2 * i))..]);
        }

        // value = digits × 10000^(weight − digitCount + 1); unscaled at the display scale:
        // digits × 10^(4·(weight − digitCount + 1) + displayScale), exact since the display scale covers every digit.
        var exponent = (4 * (weight - digitCount + 1)) + displayScale;
        var unscaled = exponent >= 0 ? digits * BigInteger.Pow(10, exponent) : digits / BigInteger.Pow(10, -exponent);
        var text = unscaled.ToString(CultureInfo.InvariantCulture);
        if (displayScale > 0)
        {
            text = text.PadLeft(displayScale + 1, '0');
            text = text[..^displayScale] + "." + text[^displayScale..];
        }

        return sign == 0x4000 && !unscaled.IsZero ? "-" + text : text;
    }

    /// <summary>Decodes the binary form of a json, jsonb or enum value to its text (jsonb leads with a version byte).</summary>
    public static string TextCastBinaryToText(ReadOnlySpan<byte> bytes, bool isJsonb)
        => Encoding.UTF8.GetString(isJsonb && bytes.Length > 0 ? bytes[1..] : bytes);

    /// <summary>The typed form of <see cref="CheckFinite(object)"/>, for the copy's chunk path (no boxing).</summary>
    public static DateTime CheckFinite(DateTime value)
        => value == DateTime.MaxValue || value == DateTime.MinValue ? throw new PostgreSqlUnmappableValueException("an infinite timestamp has no CLR equivalent") : value;

    /// <summary>The typed form of <see cref="CheckFinite(object)"/>, for the copy's chunk path (no boxing).</summary>
    public static DateOnly CheckFinite(DateOnly value)
        => value == DateOnly.MaxValue || value == DateOnly.MinValue ? throw new PostgreSqlUnmappableValueException("an infinite date has no CLR equivalent") : value;

    /// <summary>Checks a date/time value Npgsql read: PostgreSQL's ±infinity arrive as the CLR extremes, which the mirror cannot hold.</summary>
    public static object CheckFinite(object value) => value switch
    {
        DateTime d when d == DateTime.MaxValue || d == DateTime.MinValue => throw new PostgreSqlUnmappableValueException("an infinite timestamp has no CLR equivalent"),
        DateTimeOffset d when d == DateTimeOffset.MaxValue || d == DateTimeOffset.MinValue => throw new PostgreSqlUnmappableValueException("an infinite timestamptz has no CLR equivalent"),
        DateOnly d when d == DateOnly.MaxValue || d == DateOnly.MinValue => throw new PostgreSqlUnmappableValueException("an infinite date has no CLR equivalent"),
        _ => value,
    };
}
