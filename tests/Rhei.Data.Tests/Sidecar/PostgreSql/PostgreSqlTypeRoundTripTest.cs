using System.Numerics;
using Rhei.Data.Sidecar.PostgreSql;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>Every mapped PostgreSQL type, through the initial copy and through the replication stream: the same CLR values either way.</summary>
[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlTypeRoundTripTest(PostgreSqlServerFixture server)
{
    private const string Schema = """
        CREATE TYPE mood AS ENUM ('sad', 'happy');
        CREATE TABLE everything (
            id int PRIMARY KEY, i2 smallint, i8 bigint, f4 real, f8 double precision,
            n numeric(10,2), nw numeric(38,10), nu numeric, b boolean, t text, vc varchar(10), ba bytea,
            d date, tm time, ts timestamp, tz timestamptz, u uuid, j json, jb jsonb, e mood, ai int[], at text[]);
        """;

    private const string Values = """
        (ID, 32767, -9223372036854775808, 1.5, 1e300,
         12345678.91, 1234567890123456789012345678.0123456789, 3.14159265358979323846264338327950288419716939937510,
         true, 'héllo ✓', 'abc', '\x00ff10',
         '2024-02-29', '13:45:30.123456', '2024-02-29 13:45:30.123456', '2024-02-29 13:45:30.5+02',
         'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{"b": 1, "a": [1, 2]}', 'happy', '{1,NULL,3}', '{"x","y z"}')
        """;

    private static object?[] Expected(int id) =>
    [
        id, (short)32767, long.MinValue, 1.5f, 1e300,
        12345678.91m, BigInteger.Parse("12345678901234567890123456780123456789", System.Globalization.CultureInfo.InvariantCulture), "3.14159265358979323846264338327950288419716939937510",
        true, "héllo ✓", "abc", new byte[] { 0x00, 0xFF, 0x10 },
        new DateOnly(2024, 2, 29), new TimeOnly(13, 45, 30, 123, 456), new DateTime(2024, 2, 29, 13, 45, 30, 123, 456), new DateTimeOffset(2024, 2, 29, 11, 45, 30, 500, TimeSpan.Zero),
        Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "{\"a\": [1, 2]}", "{\"a\": [1, 2], \"b\": 1}", "happy", new int?[] { 1, null, 3 }, new string?[] { "x", "y z" },
    ];

    [Fact]
    public async Task Every_mapped_type_has_its_DuckDB_type_and_the_same_value_through_copy_and_stream()
    {
        var database = await server.CreateDatabaseAsync("types");
        await server.ExecuteAsync(database, Schema + $"INSERT INTO everything VALUES {Values.Replace("ID", "1", StringComparison.Ordinal)}; INSERT INTO everything (id) VALUES (2);");
        await using var source = new PostgreSqlLogicalReplicationSource();
        var tables = await source.OpenAsync(SidecarTestSettings.For(server.ReplicationConnectionString(database)) with { ReplicationName = database }, CancellationToken.None);
        var table = Assert.Single(tables);
        Assert.Equal(
            ["INTEGER", "SMALLINT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL(10,2)", "DECIMAL(38,10)", "VARCHAR", "BOOLEAN", "VARCHAR", "VARCHAR", "BLOB",
             "DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "UUID", "VARCHAR", "VARCHAR", "VARCHAR", "INTEGER[]", "VARCHAR[]"],
            table.Columns.Select(c => c.DuckDbType));

        var sink = new RecordingRowSink();
        var position = await source.CopyAsync(tables, sink, null, CancellationToken.None);
        var copied = sink.Of("everything").OrderBy(r => (int)r[0]!).ToList();
        Assert.Equal(Expected(1), copied[0]);
        Assert.Equal([2, .. Enumerable.Repeat<object?>(null, 21)], copied[1]);

        await server.ExecuteAsync(database, $"INSERT INTO everything VALUES {Values.Replace("ID", "3", StringComparison.Ordinal)}; INSERT INTO everything (id) VALUES (4);");
        var consumer = new ReplicationConsumer(source, position);
        await consumer.UntilAsync(c => c.Changes.Count >= 2);
        Assert.Equal(Expected(3), consumer.Changes[0].Values!);
        Assert.Equal([4, .. Enumerable.Repeat<object?>(null, 21)], consumer.Changes[1].Values!);
    }

    [Fact]
    public async Task Timestamp_capture_hands_over_the_same_values_as_logical_replication()
    {
        var database = await server.CreateDatabaseAsync("types_ts");
        await server.ExecuteAsync(database, Schema + "ALTER TABLE everything ADD COLUMN updated_at timestamptz NOT NULL DEFAULT '2026-01-01+00';");
        await using var source = new PostgreSqlTimestampSource();
        var tables = await source.OpenAsync(SidecarTestSettings.For(server.ReplicationConnectionString(database)), CancellationToken.None);
        var position = await source.CopyAsync(tables, new RecordingRowSink(), null, CancellationToken.None);
        await server.ExecuteAsync(database, $"INSERT INTO everything VALUES {Values.Replace("ID", "1", StringComparison.Ordinal).TrimEnd().TrimEnd(')')}, '2026-02-01+00')");

        var change = Assert.Single((await source.ReadAsync(position, 10, CancellationToken.None)).Changes);
        Assert.Equal([.. Expected(1), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)], change.Values!);
    }

    [Theory]
    [InlineData("numeric(10,2)", "DECIMAL(10,2)", "-12.3", "-12.30")]
    [InlineData("numeric(28,0)", "DECIMAL(28,0)", "9999999999999999999999999999", "9999999999999999999999999999")]
    [InlineData("numeric(29,4)", "DECIMAL(29,4)", "-1234567890123456789012345.6789", "-12345678901234567890123456789")]
    [InlineData("numeric(38,38)", "DECIMAL(38,38)", "0.00000000000000000000000000000000000012", "12")]
    [InlineData("numeric(39,2)", "VARCHAR", "123456789012345678901234567890123456.78", "123456789012345678901234567890123456.78")]
    [InlineData("numeric", "VARCHAR", "-0.000000000000000000000000000000000000000001", "-0.000000000000000000000000000000000000000001")]
    [InlineData("numeric", "VARCHAR", "100000000000000000000000000000000000000000000", "100000000000000000000000000000000000000000000")]
    public async Task Numeric_maps_to_DECIMAL_up_to_38_digits_and_wider_to_exact_text(string postgres, string duckDb, string literal, string expected)
    {
        var database = await server.CreateDatabaseAsync("numerics");
        await server.ExecuteAsync(database, $"CREATE TABLE n (id int PRIMARY KEY, v {postgres}); INSERT INTO n VALUES (1, '{literal}')");
        await using var source = new PostgreSqlLogicalReplicationSource();
        var tables = await source.OpenAsync(SidecarTestSettings.For(server.ReplicationConnectionString(database)) with { ReplicationName = database }, CancellationToken.None);
        Assert.Equal(duckDb, Assert.Single(tables).Columns[1].DuckDbType);
        var sink = new RecordingRowSink();
        var consumer = new ReplicationConsumer(source, await source.CopyAsync(tables, sink, null, CancellationToken.None));
        await server.ExecuteAsync(database, $"INSERT INTO n VALUES (2, '{literal}')");
        await consumer.UntilAsync(c => c.Changes.Count >= 1);

        var copied = sink.Of("n")[0][1];
        var streamed = consumer.Changes[0].Values![1];
        Assert.Equal(expected, Convert.ToString(copied, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, Convert.ToString(streamed, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(copied!.GetType(), streamed!.GetType());
    }
}
