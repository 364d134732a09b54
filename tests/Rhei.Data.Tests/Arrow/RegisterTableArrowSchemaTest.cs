using Apache.Arrow;
using Apache.Arrow.Types;
using Rhei.Data.Schema;
using static Rhei.Data.Tests.Arrow.ArrowTestRows;

namespace Rhei.Data.Tests.Arrow;

/// <summary><see cref="RheiConnection.RegisterTableAsync(string, Apache.Arrow.Schema, IReadOnlyList{string}, CancellationToken)"/>, rhei's TableSchema shape.</summary>
public sealed class RegisterTableArrowSchemaTest
{
    private const string CreateEvents =
        "CREATE TABLE events (id INTEGER PRIMARY KEY, label TEXT, score REAL, active BOOLEAN, payload BLOB, small INTEGER, at TEXT, price TEXT)";

    private static Apache.Arrow.Schema Events(IArrowType? labelType = null) => new Apache.Arrow.Schema.Builder()
        .Field(f => f.Name("id").DataType(Int64Type.Default).Nullable(false))
        .Field(f => f.Name("label").DataType(labelType ?? StringType.Default))
        .Field(f => f.Name("score").DataType(DoubleType.Default))
        .Field(f => f.Name("active").DataType(BooleanType.Default))
        .Field(f => f.Name("payload").DataType(BinaryType.Default))
        .Field(f => f.Name("small").DataType(Int16Type.Default))
        .Field(f => f.Name("at").DataType(new TimestampType(TimeUnit.Millisecond, (string?)null)))
        .Field(f => f.Name("price").DataType(new Decimal128Type(18, 4)))
        .Build();

    [Fact]
    public async Task RegisterTableAsync_with_an_Arrow_schema_maps_the_types_to_the_mirror()
    {
        await using var db = TestDatabase.Create("Sync Interval=0;Replicate=None");
        db.Execute(CreateEvents);
        db.Execute("INSERT INTO events VALUES (1, 'a', 0.5, 1, x'0102', 7, '2026-12-01 10:00:00', '12.3400')");
        await using var connection = db.Open();

        await connection.RegisterTableAsync("events", Events(), ["id"]);

        var registered = connection.Engine.Replication!.Registry.Get("events");
        Assert.Equal(
            ["INTEGER", "TEXT", "REAL", "BOOLEAN", "BLOB", "INTEGER", "TEXT", "TEXT"],
            registered.Columns.Select(c => c.DeclaredType));
        Assert.False(registered.Columns[0].IsNullable);
        Assert.Equal(["id"], registered.Definition.PrimaryKey);

        // The DuckDB mirror as DuckDB describes it.
        await using (var describe = new RheiCommand(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position", connection) { Route = RheiRoute.Olap })
        await using (var reader = await describe.ExecuteReaderAsync())
        {
            var types = new List<string>();
            while (await reader.ReadAsync())
            {
                types.Add(reader.GetString(0));
            }

            Assert.Equal(["BIGINT", "VARCHAR", "DOUBLE", "BIGINT", "BLOB", "BIGINT", "VARCHAR", "VARCHAR"], types);
        }

        // As rhei's register_table: the mirror starts empty; the rows arrive with the initial sync, then changes with sync.
        Assert.Equal(1, await connection.InitialSyncAsync("events"));
        await using (var insert = new RheiCommand("INSERT INTO events VALUES (2, NULL, NULL, 0, NULL, NULL, NULL, NULL)", connection))
        {
            await insert.ExecuteNonQueryAsync();
        }

        await using var query = new RheiCommand("SELECT id, label, score, active, payload, small, at, price FROM events ORDER BY id", connection)
        {
            Route = RheiRoute.Olap,
        };
        using var stream = await query.ExecuteArrowReaderAsync();
        var result = await ReadAllAsync(stream);
        Assert.Equal(RheiRoute.Olap, result.Route);
        AssertSchema(
            result.Schema,
            ("id", ArrowTypeId.Int64), ("label", ArrowTypeId.String), ("score", ArrowTypeId.Double), ("active", ArrowTypeId.Int64),
            ("payload", ArrowTypeId.Binary), ("small", ArrowTypeId.Int64), ("at", ArrowTypeId.String), ("price", ArrowTypeId.String));
        Assert.Equal(
            [
                [1L, "a", 0.5, 1L, new byte[] { 1, 2 }, 7L, "2026-12-01 10:00:00", "12.3400"],
                [2L, null, null, 0L, null, null, null, null],
            ],
            result.Rows);
    }

    [Fact]
    public async Task RegisterTableAsync_with_the_same_Arrow_schema_again_is_harmless()
    {
        await using var db = TestDatabase.Create("Sync Interval=0;Replicate=None");
        db.Execute(CreateEvents);
        await using var connection = db.Open();

        await connection.RegisterTableAsync("events", Events(), ["id"]);
        await connection.RegisterTableAsync("events", Events(), ["id"]);

        Assert.Equal(4, await ScalarAsync(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'events'"));
        Assert.True(connection.Engine.Replication!.IsReplicated("events"));
    }

    [Fact]
    public async Task RegisterTableAsync_with_an_Arrow_schema_matches_a_table_replicated_from_SQLite()
    {
        // Replicate=All registers the table from SQLite's own declaration; the Arrow schema names the same shape.
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await using (var create = new RheiCommand("CREATE TABLE tags (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, weight DOUBLE)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        Assert.True(connection.Engine.Replication!.IsReplicated("tags"));
        var schema = new Apache.Arrow.Schema.Builder()
            .Field(f => f.Name("id").DataType(Int64Type.Default))
            .Field(f => f.Name("name").DataType(StringType.Default))
            .Field(f => f.Name("weight").DataType(FloatType.Default))
            .Build();

        await connection.RegisterTableAsync("tags", schema, ["id"]);
        Assert.Equal("VARCHAR(40)", connection.Engine.Replication.Registry.Get("tags").Columns[1].DeclaredType);
    }

    [Fact]
    public async Task RegisterTableAsync_refuses_a_conflicting_Arrow_schema()
    {
        await using var db = TestDatabase.Create("Sync Interval=0;Replicate=None");
        db.Execute(CreateEvents);
        await using var connection = db.Open();
        await connection.RegisterTableAsync("events", Events(), ["id"]);

        var retyped = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.RegisterTableAsync("events", Events(labelType: Int64Type.Default), ["id"]));
        Assert.Contains("different schema", retyped.Message, StringComparison.Ordinal);
        Assert.Contains("'events'", retyped.Message, StringComparison.Ordinal);

        var rekeyed = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.RegisterTableAsync("events", Events(), ["id", "label"]));
        Assert.Contains("different schema", rekeyed.Message, StringComparison.Ordinal);

        Assert.Equal(MirrorType.Text, connection.Engine.Replication!.Registry.Get("events").MirrorTypes[1]);
    }

    [Fact]
    public async Task RegisterTableAsync_refuses_an_Arrow_type_no_SQLite_column_holds()
    {
        await using var db = TestDatabase.Create("Sync Interval=0;Replicate=None");
        db.Execute("CREATE TABLE lists (id INTEGER PRIMARY KEY, items TEXT)");
        await using var connection = db.Open();
        var schema = new Apache.Arrow.Schema.Builder()
            .Field(f => f.Name("id").DataType(Int64Type.Default))
            .Field(f => f.Name("items").DataType(new ListType(Int32Type.Default)))
            .Build();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => connection.RegisterTableAsync("lists", schema, ["id"]));
        Assert.Contains("Column 'items'", error.Message, StringComparison.Ordinal);
        Assert.False(connection.Engine.Replication!.IsReplicated("lists"));
    }

    private static async Task<long> ScalarAsync(RheiConnection connection, string sql)
    {
        await using var command = new RheiCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
