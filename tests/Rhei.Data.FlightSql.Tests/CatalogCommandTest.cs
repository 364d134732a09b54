using Apache.Arrow;
using Apache.Arrow.Types;
using Rhei.Data.FlightSql.Protocol;

namespace Rhei.Data.FlightSql.Tests;

/// <summary>The catalog commands over a real Kestrel: the specification's result schemas, in GetFlightInfo and in DoGet, and their content.</summary>
public sealed class CatalogCommandTest
{
    [Fact]
    public async Task GetTables_lists_user_tables_and_views_with_the_specification_schema_and_without_rheis_own()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();

        var result = await client.ReadAsync(new CommandGetTables());

        AssertFields(result.Info.Schema, ("catalog_name", ArrowTypeId.String, true), ("db_schema_name", ArrowTypeId.String, true),
            ("table_name", ArrowTypeId.String, false), ("table_type", ArrowTypeId.String, false));
        AssertFields(result.Schema, ("catalog_name", ArrowTypeId.String, true), ("db_schema_name", ArrowTypeId.String, true),
            ("table_name", ArrowTypeId.String, false), ("table_type", ArrowTypeId.String, false));
        Assert.Equal(["big_orders", "orders"], result.Column("table_name"));
        Assert.Equal(["VIEW", "TABLE"], result.Column("table_type"));
        Assert.Equal(["main", "main"], result.Column("catalog_name"));
        Assert.Equal([null, null], result.Column("db_schema_name"));
    }

    [Fact]
    public async Task GetTables_with_include_schema_carries_each_tables_arrow_schema_as_an_ipc_message()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();

        var result = await client.ReadAsync(new CommandGetTables { TableNameFilterPattern = "ord%", IncludeSchema = true });

        Assert.Equal("table_schema", result.Info.Schema.GetFieldByIndex(4).Name);
        Assert.Equal(ArrowTypeId.Binary, result.Schema.GetFieldByIndex(4).DataType.TypeId);
        Assert.False(result.Schema.GetFieldByIndex(4).IsNullable);
        Assert.Equal(["orders"], result.Column("table_name"));
        var tableSchema = ArrowSerializationHelpers.DeserializeSchema((byte[])result.Column("table_schema")[0]!);
        AssertFields(tableSchema, ("id", ArrowTypeId.Int64, true), ("customer", ArrowTypeId.String, true), ("amount", ArrowTypeId.Double, true));
    }

    [Fact]
    public async Task GetPrimaryKeys_GetCatalogs_GetDbSchemas_and_GetTableTypes_answer_with_their_schemas()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();

        var keys = await client.ReadAsync(new CommandGetPrimaryKeys { Table = "orders" });
        AssertFields(keys.Schema, ("catalog_name", ArrowTypeId.String, true), ("db_schema_name", ArrowTypeId.String, true),
            ("table_name", ArrowTypeId.String, false), ("column_name", ArrowTypeId.String, false),
            ("key_name", ArrowTypeId.String, true), ("key_sequence", ArrowTypeId.Int32, false));
        Assert.Equal(["id"], keys.Column("column_name"));
        Assert.Equal([1], keys.Column("key_sequence"));

        var catalogs = await client.ReadAsync(new CommandGetCatalogs());
        AssertFields(catalogs.Schema, ("catalog_name", ArrowTypeId.String, false));
        Assert.Equal(["main"], catalogs.Column("catalog_name"));

        var schemas = await client.ReadAsync(new CommandGetDbSchemas());
        AssertFields(schemas.Schema, ("catalog_name", ArrowTypeId.String, true), ("db_schema_name", ArrowTypeId.String, false));
        Assert.Equal(0, schemas.RowCount);

        var types = await client.ReadAsync(new CommandGetTableTypes());
        AssertFields(types.Info.Schema, ("table_type", ArrowTypeId.String, false));
        Assert.Equal(["TABLE", "VIEW"], types.Column("table_type"));
    }

    [Fact]
    public async Task GetSqlInfo_answers_the_server_ids_in_the_dense_union_the_specification_defines()
    {
        await using var server = await FlightSqlTestServer.StartAsync(new RheiFlightSqlOptions { ReadOnly = true });
        using var client = server.CreateClient();

        var result = await client.ReadAsync(new CommandGetSqlInfo
        {
            Info = { (uint)SqlInfo.FlightSqlServerName, (uint)SqlInfo.FlightSqlServerReadOnly, (uint)SqlInfo.FlightSqlServerVersion },
        });

        Assert.Equal("info_name", result.Schema.GetFieldByIndex(0).Name);
        Assert.Equal(ArrowTypeId.UInt32, result.Schema.GetFieldByIndex(0).DataType.TypeId);
        var union = Assert.IsType<UnionType>(result.Schema.GetFieldByIndex(1).DataType);
        Assert.Equal(UnionMode.Dense, union.Mode);
        Assert.Equal(["string_value", "bool_value", "bigint_value", "int32_bitmask", "string_list", "int32_to_int32_list_map"],
            union.Fields.Select(f => f.Name));
        Assert.Equal([0u, 3u, 1u], result.Column("info_name"));

        var values = (DenseUnionArray)result.Batches.Single().Column("value");
        Assert.Equal("Rhei.Data", ((StringArray)values.Fields[0]).GetString(values.ValueOffsets[0]));
        Assert.Equal(1, values.TypeIds[1]);
        Assert.True(((BooleanArray)values.Fields[1]).GetValue(values.ValueOffsets[1]));
        Assert.False(string.IsNullOrEmpty(((StringArray)values.Fields[0]).GetString(values.ValueOffsets[2])));
    }

    private static void AssertFields(Apache.Arrow.Schema schema, params (string Name, ArrowTypeId Type, bool Nullable)[] expected)
    {
        Assert.Equal(expected, schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId, f.IsNullable)));
    }
}
