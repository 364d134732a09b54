using Apache.Arrow.Types;
using Grpc.Core;
using Rhei.Data.FlightSql.Protocol;

namespace Rhei.Data.FlightSql.Tests;

/// <summary>GetSchema, ListActions and response compression: the parts of the Flight surface a client probes first.</summary>
public sealed class ServerSurfaceTest
{
    [Fact]
    public async Task GetSchema_of_a_query_is_the_schema_its_DoGet_streams()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();

        var schema = await client.Client.GetSchema(FlightSqlTestClient.Descriptor(
            new CommandStatementQuery { Query = "SELECT customer, sum(amount) AS total FROM orders GROUP BY customer" })).ResponseAsync;
        var tables = await client.Client.GetSchema(FlightSqlTestClient.Descriptor(new CommandGetTables { IncludeSchema = true })).ResponseAsync;

        Assert.Equal([("customer", ArrowTypeId.String), ("total", ArrowTypeId.Double)], schema.FieldsList.Select(f => (f.Name, f.DataType.TypeId)));
        Assert.Equal(["catalog_name", "db_schema_name", "table_name", "table_type", "table_schema"], tables.FieldsList.Select(f => f.Name));
    }

    [Fact]
    public async Task ListActions_offers_the_prepared_statement_actions_and_an_unknown_action_is_unimplemented()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();

        using var call = client.Client.ListActions();
        var actions = new List<string>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            actions.Add(call.ResponseStream.Current.Type);
        }

        Assert.Equal(["CreatePreparedStatement", "ClosePreparedStatement"], actions);
        using var unknown = client.Client.DoAction(new Apache.Arrow.Flight.FlightAction("BeginTransaction"));
        var refused = await Assert.ThrowsAsync<RpcException>(() => unknown.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Unimplemented, refused.StatusCode);
    }

    [Fact]
    public async Task With_CompressResponses_the_stream_is_gzip_compressed_and_reads_the_same()
    {
        await using var plain = await FlightSqlTestServer.StartAsync();
        await using var compressed = await FlightSqlTestServer.StartAsync(new RheiFlightSqlOptions { CompressResponses = true });
        using var plainClient = plain.CreateClient();
        using var compressedClient = compressed.CreateClient();
        const string sql = "SELECT id, customer, amount FROM orders ORDER BY id";

        var expected = await plainClient.QueryAsync(sql);
        Assert.Null(plainClient.LastResponseEncoding);
        var actual = await compressedClient.QueryAsync(sql);
        Assert.Equal("gzip", compressedClient.LastResponseEncoding);
        Assert.Equal(expected.Column("customer"), actual.Column("customer"));
        Assert.Equal(expected.Column("amount"), actual.Column("amount"));
        var tables = await compressedClient.ReadAsync(new CommandGetTables());
        Assert.Equal("gzip", compressedClient.LastResponseEncoding);
        Assert.Equal(["big_orders", "orders"], tables.Column("table_name"));
    }
}
