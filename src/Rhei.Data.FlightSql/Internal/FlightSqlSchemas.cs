using Apache.Arrow;
using Apache.Arrow.Types;
using ArrowSchema = Apache.Arrow.Schema;

namespace Rhei.Data.FlightSql.Internal;

/// <summary>The result schemas of the catalog commands, field for field as the Flight SQL specification defines them.</summary>
internal static class FlightSqlSchemas
{
    public static readonly ArrowSchema Catalogs = Build(new Field("catalog_name", StringType.Default, nullable: false));

    public static readonly ArrowSchema DbSchemas = Build(
        new Field("catalog_name", StringType.Default, nullable: true),
        new Field("db_schema_name", StringType.Default, nullable: false));

    public static readonly ArrowSchema Tables = Build(TableFields());

    public static readonly ArrowSchema TablesWithSchema = Build(
        [.. TableFields(), new Field("table_schema", BinaryType.Default, nullable: false)]);

    public static readonly ArrowSchema TableTypes = Build(new Field("table_type", StringType.Default, nullable: false));

    public static readonly ArrowSchema PrimaryKeys = Build(
        new Field("catalog_name", StringType.Default, nullable: true),
        new Field("db_schema_name", StringType.Default, nullable: true),
        new Field("table_name", StringType.Default, nullable: false),
        new Field("column_name", StringType.Default, nullable: false),
        new Field("key_name", StringType.Default, nullable: true),
        new Field("key_sequence", Int32Type.Default, nullable: false));

    /// <summary>The type ids of SqlInfo's value union, in the specification's order.</summary>
    public const int StringValue = 0, BoolValue = 1, BigIntValue = 2, Int32Bitmask = 3, StringList = 4, Int32ToInt32ListMap = 5;

    public static readonly UnionType SqlInfoValueType = new(
        [
            new Field("string_value", StringType.Default, nullable: true),
            new Field("bool_value", BooleanType.Default, nullable: true),
            new Field("bigint_value", Int64Type.Default, nullable: true),
            new Field("int32_bitmask", Int32Type.Default, nullable: true),
            new Field("string_list", new ListType(new Field("item", StringType.Default, nullable: true)), nullable: true),
            new Field("int32_to_int32_list_map",
                new MapType(
                    new Field("key", Int32Type.Default, nullable: false),
                    new Field("value", new ListType(new Field("item", Int32Type.Default, nullable: true)), nullable: true)),
                nullable: true),
        ],
        [StringValue, BoolValue, BigIntValue, Int32Bitmask, StringList, Int32ToInt32ListMap],
        UnionMode.Dense);

    public static readonly ArrowSchema SqlInfo = Build(
        new Field("info_name", UInt32Type.Default, nullable: false),
        new Field("value", SqlInfoValueType, nullable: false));

    private static Field[] TableFields() =>
    [
        new Field("catalog_name", StringType.Default, nullable: true),
        new Field("db_schema_name", StringType.Default, nullable: true),
        new Field("table_name", StringType.Default, nullable: false),
        new Field("table_type", StringType.Default, nullable: false),
    ];

    private static ArrowSchema Build(params Field[] fields) => new(fields, null);
}
