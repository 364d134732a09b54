using Apache.Arrow.Types;
using Rhei.Data.Olap;
using Rhei.Data.Schema;

namespace Rhei.Data.Arrow;

/// <summary>
/// The Arrow types of a result: one per SQLite storage class, the same whichever engine answered. INTEGER is
/// <see cref="Int64Type"/>, REAL <see cref="DoubleType"/>, TEXT <see cref="StringType"/> (UTF-8, never a string
/// view), BLOB <see cref="BinaryType"/>; every field is nullable.
/// </summary>
internal static class ArrowResultTypes
{
    public static IArrowType ToArrowType(MirrorType storageClass) => storageClass switch
    {
        MirrorType.Integer => Int64Type.Default,
        MirrorType.Real => DoubleType.Default,
        MirrorType.Text => StringType.Default,
        _ => BinaryType.Default,
    };

    /// <summary>The storage class an imported Arrow type stands for, or null when it is none of the four.</summary>
    public static MirrorType? FromArrowType(IArrowType type) => type.TypeId switch
    {
        ArrowTypeId.Int64 => MirrorType.Integer,
        ArrowTypeId.Double => MirrorType.Real,
        ArrowTypeId.String => MirrorType.Text,
        ArrowTypeId.Binary => MirrorType.Blob,
        _ => null,
    };

    /// <summary>
    /// The storage class RheiDataReader gives a DuckDB column of this type, or null when the type is not known
    /// until the parameters are bound (DuckDB reports INVALID for it at prepare time).
    /// </summary>
    /// <exception cref="RheiException">The type (LIST, STRUCT, MAP…) has no SQLite storage class.</exception>
    public static MirrorType? FromDuckDb(DuckDbTypeId type, string column) => type switch
    {
        DuckDbTypeId.Invalid or DuckDbTypeId.Any => null,

        // HUGEINT, UHUGEINT and UBIGINT: SQLite has no wider integer, and its sum() raises "integer overflow" where
        // DuckDB's would widen; a value beyond Int64 makes DuckDB's cast fail rather than change the column's type.
        DuckDbTypeId.Boolean or DuckDbTypeId.TinyInt or DuckDbTypeId.SmallInt or DuckDbTypeId.Integer or DuckDbTypeId.BigInt
            or DuckDbTypeId.UTinyInt or DuckDbTypeId.USmallInt or DuckDbTypeId.UInteger or DuckDbTypeId.UBigInt
            or DuckDbTypeId.HugeInt or DuckDbTypeId.UHugeInt or DuckDbTypeId.IntegerLiteral => MirrorType.Integer,
        DuckDbTypeId.Float or DuckDbTypeId.Double or DuckDbTypeId.Decimal => MirrorType.Real,
        DuckDbTypeId.Blob => MirrorType.Blob,

        // Text as RheiDataReader returns it; a column of NULLs only has no class, and is text as on SQLite.
        DuckDbTypeId.Varchar or DuckDbTypeId.StringLiteral or DuckDbTypeId.Enum or DuckDbTypeId.Uuid or DuckDbTypeId.Date
            or DuckDbTypeId.Time or DuckDbTypeId.TimeNs or DuckDbTypeId.Timestamp or DuckDbTypeId.TimestampS
            or DuckDbTypeId.TimestampMs or DuckDbTypeId.TimestampNs or DuckDbTypeId.TimestampTz or DuckDbTypeId.Interval
            or DuckDbTypeId.SqlNull => MirrorType.Text,
        _ => throw new RheiException(
            $"Column '{column}' of the result has DuckDB type {new DuckDbColumnType(type)}, which has no SQLite storage class "
            + "(INTEGER, REAL, TEXT or BLOB) for an Arrow column. Cast it in the SQL, for example CAST(... AS VARCHAR).",
            RheiException.DuckDbEngineName),
    };

    /// <summary>
    /// Whether DuckDB's own Arrow export of this type is already the storage class's Arrow type; otherwise the
    /// column is cast in SQL first.
    /// </summary>
    public static bool ExportsAsIs(DuckDbTypeId type)
        => type is DuckDbTypeId.BigInt or DuckDbTypeId.Double or DuckDbTypeId.Varchar or DuckDbTypeId.Blob;

    /// <summary>The SQL that turns column <paramref name="reference"/> of DuckDB type <paramref name="type"/> into its storage class.</summary>
    public static string CastSql(string reference, DuckDbTypeId type, MirrorType storageClass)
    {
        if (ExportsAsIs(type))
        {
            return reference;
        }

        return type switch
        {
            // RheiDataReader gives TIMESTAMPTZ as UTC text without an offset; DuckDB's own text would add one.
            DuckDbTypeId.TimestampTz => $"CAST(CAST(timezone('UTC', {reference}) AS TIMESTAMP) AS VARCHAR)",
            _ => $"CAST({reference} AS {SqliteTypeMapper.ToDuckDb(storageClass)})",
        };
    }
}
