using Apache.Arrow;
using Apache.Arrow.Types;
using Grpc.Core;
using Rhei.Data.FlightSql.Protocol;

namespace Rhei.Data.FlightSql.Tests;

/// <summary>Queries, prepared statements and updates through Flight SQL, each checked for the engine that answered.</summary>
public sealed class StatementTest
{
    [Fact]
    public async Task A_point_lookup_is_answered_by_SQLite_and_an_aggregate_by_DuckDB_with_the_same_types()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();

        var lookup = await client.QueryAsync("SELECT customer, amount FROM orders WHERE id = 2");
        Assert.Equal("sqlite", lookup.Route);
        Assert.Null(lookup.Info.Schema);
        Assert.Equal(["bob"], lookup.Column("customer"));
        Assert.Equal([20.0], lookup.Column("amount"));

        var aggregate = await client.QueryAsync("SELECT customer, sum(amount) AS total, count(*) FROM orders GROUP BY customer ORDER BY customer");
        Assert.Equal("duckdb", aggregate.Route);
        Assert.Equal("Analytical", aggregate.Headers.GetValue("rhei-route-rule"));
        Assert.Equal(["customer", "total", "count(*)"], aggregate.Schema.FieldsList.Select(f => f.Name));
        Assert.Equal([ArrowTypeId.String, ArrowTypeId.Double, ArrowTypeId.Int64], aggregate.Schema.FieldsList.Select(f => f.DataType.TypeId));
        Assert.Equal(["ada", "bob", "cy"], aggregate.Column("customer"));
        Assert.Equal([15.0, 20.0, null], aggregate.Column("total"));
        Assert.Equal([2L, 1L, 1L], aggregate.Column("count(*)"));
    }

    [Fact]
    public async Task A_route_hint_in_the_sql_sends_the_same_query_to_the_other_engine_with_the_same_answer()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();

        var olap = await client.QueryAsync("/*+ rhei:olap */ SELECT id, customer FROM orders WHERE id >= 2 ORDER BY id");
        var oltp = await client.QueryAsync("/*+ rhei:oltp */ SELECT id, customer FROM orders WHERE id >= 2 ORDER BY id");

        Assert.Equal("duckdb", olap.Route);
        Assert.Equal("sqlite", oltp.Route);
        Assert.Equal(oltp.Column("id"), olap.Column("id"));
        Assert.Equal(oltp.Column("customer"), olap.Column("customer"));
        Assert.Equal([2L, 3L, 4L], olap.Column("id"));
    }

    [Fact]
    public async Task A_prepared_statement_takes_positional_and_named_parameters_through_DoPut_and_is_closed()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();

        var positional = await client.PrepareAsync("SELECT id FROM orders WHERE amount > ? AND customer = ? ORDER BY id");
        Assert.Equal(1, server.Server.OpenPreparedStatements);
        await client.BindAsync(positional, Parameters(("0", new DoubleArray.Builder().Append(5.0).Build()), ("1", new StringArray.Builder().Append("ada").Build())));
        var first = await client.QueryPreparedAsync(positional);
        Assert.Equal([1L], first.Column("id"));

        // Bound again: the new values replace the old ones.
        await client.BindAsync(positional, Parameters(("0", new DoubleArray.Builder().Append(1.0).Build()), ("1", new StringArray.Builder().Append("ada").Build())));
        Assert.Equal([1L, 3L], (await client.QueryPreparedAsync(positional)).Column("id"));
        await client.ClosePreparedAsync(positional);
        Assert.Equal(0, server.Server.OpenPreparedStatements);
        var closed = await Assert.ThrowsAsync<RpcException>(() => client.QueryPreparedAsync(positional));
        Assert.Equal(StatusCode.NotFound, closed.StatusCode);

        var named = await client.PrepareAsync("SELECT customer, sum(amount) AS total FROM orders WHERE customer = @who GROUP BY customer");
        await client.BindAsync(named, Parameters(("who", new StringArray.Builder().Append("ada").Build())));
        var aggregate = await client.QueryPreparedAsync(named);
        Assert.Equal("duckdb", aggregate.Route);
        Assert.Equal([15.0], aggregate.Column("total"));
        await client.ClosePreparedAsync(named);
    }

    [Fact]
    public async Task An_update_is_written_to_SQLite_and_then_read_on_both_engines()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();

        var inserted = await client.UpdateAsync("INSERT INTO orders (id, customer, amount) VALUES (10, 'dee', 7.0), (11, 'dee', 8.0)");
        Assert.Equal(2, inserted);
        Assert.Equal(1, await client.UpdateAsync("UPDATE orders SET amount = 9.0 WHERE id = 11"));

        var oltp = await client.QueryAsync("SELECT amount FROM orders WHERE id = 11");
        Assert.Equal("sqlite", oltp.Route);
        Assert.Equal([9.0], oltp.Column("amount"));
        var olap = await client.QueryAsync("SELECT sum(amount) AS total FROM orders WHERE customer = 'dee'");
        Assert.Equal("duckdb", olap.Route);
        Assert.Equal([16.0], olap.Column("total"));
    }

    [Fact]
    public async Task A_prepared_update_runs_once_per_parameter_row_in_one_transaction()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();

        var handle = await client.PrepareAsync("INSERT INTO orders (id, customer, amount) VALUES (:id, :customer, 1.0)");
        var rows = Parameters(
            ("id", new Int64Array.Builder().AppendRange([20, 21, 22]).Build()),
            ("customer", new StringArray.Builder().AppendRange(["x", "y", "z"]).Build()));
        Assert.Equal(3, await client.UpdatePreparedAsync(handle, rows));

        // The second run collides on id 20 after inserting 23: the transaction takes neither.
        var again = Parameters(("id", new Int64Array.Builder().AppendRange([23, 20]).Build()), ("customer", new StringArray.Builder().AppendRange(["w", "x"]).Build()));
        var failure = await Assert.ThrowsAsync<RpcException>(() => client.UpdatePreparedAsync(handle, again));
        Assert.Equal(StatusCode.FailedPrecondition, failure.StatusCode);
        Assert.Contains("SQLite", failure.Status.Detail);
        Assert.Equal([3L], (await client.QueryAsync("SELECT count(*) AS n FROM orders WHERE id >= 20")).Column("n"));
    }

    [Fact]
    public async Task An_engine_error_is_a_grpc_status_naming_the_engine()
    {
        await using var server = await FlightSqlTestServer.StartAsync();
        using var client = server.CreateClient();

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("SELECT * FROM no_such_table"));
        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);
        Assert.Contains("no_such_table", missing.Status.Detail);
        Assert.Contains("SQLite", missing.Status.Detail);
        Assert.DoesNotContain("flight.db", missing.Status.Detail);

        var notFlightSql = await Assert.ThrowsAsync<RpcException>(
            () => client.Client.GetInfo(Apache.Arrow.Flight.FlightDescriptor.CreateCommandDescriptor("SELECT 1")).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, notFlightSql.StatusCode);
    }

    internal static RecordBatch Parameters(params (string Name, IArrowArray Values)[] columns)
    {
        var schema = new Apache.Arrow.Schema(columns.Select(c => new Field(c.Name, c.Values.Data.DataType, nullable: true)), null);
        return new RecordBatch(schema, columns.Select(c => c.Values), columns[0].Values.Length);
    }
}
