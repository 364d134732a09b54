using Apache.Arrow;
using Apache.Arrow.Types;
using Rhei.Data.Schema;
using ArrowSchema = Apache.Arrow.Schema;

namespace Rhei.Data.Arrow;

/// <summary>
/// rhei's <c>TableSchema { name, arrow_schema, primary_key }</c> as a <see cref="RheiTableSchema"/>: each Arrow field
/// becomes a column whose declared type gives the mirror the type the field asks for.
/// </summary>
/// <remarks>
/// Integers (signed or not) are INTEGER (BIGINT), Boolean is BOOLEAN (BIGINT 0/1, as SQLite stores it), floating
/// point is REAL (DOUBLE), strings are TEXT (VARCHAR) and binaries BLOB. Dates, times, timestamps and decimals are
/// TEXT: SQLite keeps them as ISO-8601 or decimal text, and a DOUBLE would lose a decimal's digits. These are the
/// declared types rhei's registry file reads back, so a registration survives a restart unchanged. Nested types
/// (list, struct, map, union) have no SQLite column and are refused.
/// </remarks>
internal static class ArrowTableSchema
{
    public static RheiTableSchema ToRheiTableSchema(string table, ArrowSchema schema, IReadOnlyList<string> primaryKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(primaryKey);
        var columns = schema.FieldsList
            .Select(field => new RheiColumn(field.Name, DeclaredType(table, field.Name, field.DataType), field.IsNullable))
            .ToArray();
        return new RheiTableSchema(table, columns, primaryKey);
    }

    /// <summary>
    /// Whether a registered table already has this shape: the same columns in order (names compared as SQLite does,
    /// ignoring case), each with the same mirror type, and the same key. Nullability does not count: the mirror
    /// enforces none, and a table registered from SQLite's own schema reports its NOT NULL columns.
    /// </summary>
    public static bool SameShape(TableSchema registered, RheiTableSchema requested)
        => registered.Columns.Count == requested.Columns.Count
           && registered.Columns.Select(c => c.Name).SequenceEqual(requested.Columns.Select(c => c.Name), StringComparer.OrdinalIgnoreCase)
           && registered.MirrorTypes.SequenceEqual(requested.Columns.Select(c => SqliteTypeMapper.Map(c.DeclaredType)))
           && registered.Definition.PrimaryKey.SequenceEqual(requested.PrimaryKey, StringComparer.OrdinalIgnoreCase);

    private static string DeclaredType(string table, string column, IArrowType type) => type switch
    {
        DictionaryType dictionary => DeclaredType(table, column, dictionary.ValueType),
        _ => type.TypeId switch
        {
            ArrowTypeId.Boolean => "BOOLEAN",
            ArrowTypeId.Int8 or ArrowTypeId.Int16 or ArrowTypeId.Int32 or ArrowTypeId.Int64
                or ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 or ArrowTypeId.UInt64 => "INTEGER",
            ArrowTypeId.HalfFloat or ArrowTypeId.Float or ArrowTypeId.Double => "REAL",
            ArrowTypeId.String or ArrowTypeId.LargeString or ArrowTypeId.StringView => "TEXT",
            ArrowTypeId.Binary or ArrowTypeId.LargeBinary or ArrowTypeId.BinaryView or ArrowTypeId.FixedSizedBinary => "BLOB",
            ArrowTypeId.Date32 or ArrowTypeId.Date64 or ArrowTypeId.Time32 or ArrowTypeId.Time64 or ArrowTypeId.Timestamp
                or ArrowTypeId.Decimal32 or ArrowTypeId.Decimal64 or ArrowTypeId.Decimal128 or ArrowTypeId.Decimal256 => "TEXT",
            _ => throw new ArgumentException(
                $"Column '{column}' of table '{table}' has Arrow type {type.Name}, which no SQLite column holds. "
                + "Use an integer, floating-point, Boolean, string, binary, date/time or decimal type.",
                nameof(type)),
        },
    };
}
