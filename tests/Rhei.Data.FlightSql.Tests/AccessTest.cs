using Grpc.Core;
using Rhei.Data.FlightSql.Protocol;

namespace Rhei.Data.FlightSql.Tests;

/// <summary>The read-only and bearer-token options, enforced over the wire.</summary>
public sealed class AccessTest
{
    private const string Token = "s3cret-token-for-tests";

    [Fact]
    public async Task A_read_only_server_refuses_updates_and_writing_queries_and_leaves_the_data_alone()
    {
        await using var server = await FlightSqlTestServer.StartAsync(new RheiFlightSqlOptions { ReadOnly = true });
        using var client = server.CreateClient();

        var update = await Assert.ThrowsAsync<RpcException>(() => client.UpdateAsync("DELETE FROM orders"));
        Assert.Equal(StatusCode.PermissionDenied, update.StatusCode);
        Assert.Contains("read-only", update.Status.Detail);

        var writingQuery = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("DELETE FROM orders RETURNING id"));
        Assert.Equal(StatusCode.PermissionDenied, writingQuery.StatusCode);

        // A hint gets past the router's rule; SQLite's query_only still refuses the write.
        var hinted = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("/*+ rhei:oltp */ DELETE FROM orders RETURNING id"));
        Assert.Equal(StatusCode.PermissionDenied, hinted.StatusCode);
        var lifted = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("/*+ rhei:oltp */ PRAGMA query_only = 0"));
        Assert.Equal(StatusCode.PermissionDenied, lifted.StatusCode);

        Assert.Equal([4L], (await client.QueryAsync("SELECT count(*) AS n FROM orders")).Column("n"));
        // The application's own connections from the same pool are not left read-only.
        await using var connection = await server.DataSource.OpenConnectionAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO orders (id, customer) VALUES (99, 'app')";
        Assert.Equal(1, await insert.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task With_a_token_configured_a_call_without_it_or_with_another_is_unauthenticated()
    {
        await using var server = await FlightSqlTestServer.StartAsync(new RheiFlightSqlOptions { BearerToken = Token });

        using (var anonymous = server.CreateClient())
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => anonymous.QueryAsync("SELECT 1 AS one"));
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
            var catalog = await Assert.ThrowsAsync<RpcException>(() => anonymous.ReadAsync(new CommandGetTables()));
            Assert.Equal(StatusCode.Unauthenticated, catalog.StatusCode);
        }

        using (var wrong = server.CreateClient("not-the-token"))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => wrong.UpdateAsync("DELETE FROM orders"));
            Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
            Assert.DoesNotContain(Token, refused.Status.Detail);
            Assert.DoesNotContain("not-the-token", refused.Status.Detail);
        }

        using var authorized = server.CreateClient(Token);
        Assert.Equal([1L], (await authorized.QueryAsync("SELECT 1 AS one")).Column("one"));
        Assert.Equal([4L], (await authorized.QueryAsync("SELECT count(*) AS n FROM orders")).Column("n"));
    }
}
