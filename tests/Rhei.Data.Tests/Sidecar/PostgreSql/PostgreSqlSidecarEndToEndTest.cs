using Npgsql;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// A PostgreSQL server followed through the connection string alone, as an application does it: the mirror answers
/// DuckDB SQL, writes are refused, and a Strong read sees every commit another client made before it began.
/// </summary>
[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlSidecarEndToEndTest(PostgreSqlServerFixture server) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rhei-pg-e2e-").FullName;

    [Theory]
    [InlineData("LogicalReplication")]
    [InlineData("Timestamp")]
    public async Task Strong_read_sees_every_commit_made_through_another_connection_on_the_followed_server(string capture)
    {
        var database = await server.CreateDatabaseAsync("e2e_" + capture.ToLowerInvariant());
        await server.ExecuteAsync(database, """
            CREATE TABLE orders (id int PRIMARY KEY, region text NOT NULL, amount numeric(12,2) NOT NULL,
                                 updated_at timestamptz NOT NULL DEFAULT clock_timestamp());
            INSERT INTO orders (id, region, amount) SELECT g, CASE g % 3 WHEN 0 THEN 'east' WHEN 1 THEN 'north' ELSE 'south' END, g * 1.25 FROM generate_series(1, 1000) g;
            """);
        var source = server.ReplicationConnectionString(database);
        var cs = $"Data Source={Path.Combine(_directory, capture + ".db")};Olap=DuckDb;Sidecar=PostgreSql;Sidecar Capture={capture};"
            + $"Sidecar Replication Name={database};Sidecar Source=\"{source}\";Freshness=Strong";

        await using var dataSource = RheiDataSource.Create(cs);
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(1000L, await ScalarAsync(connection, "SELECT count(*) FROM orders"));

        await using var writer = new NpgsqlConnection(source);
        await writer.OpenAsync();
        for (var round = 1; round <= 200; round++)
        {
            await using (var write = writer.CreateCommand())
            {
                write.CommandText = "UPDATE orders SET amount = amount + 1, updated_at = clock_timestamp() WHERE id = $1";
                write.Parameters.AddWithValue(round);
                await write.ExecuteNonQueryAsync();
            }

            // The next analytical read, right after the commit: the mirror must already hold it.
            await using var read = connection.CreateCommand();
            read.CommandText = $"SELECT amount FROM orders WHERE id = {round}";
            read.Route = RheiRoute.Olap;
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(RheiRoute.Olap, reader.Route);
            Assert.Equal(round * 1.25m + 1, Convert.ToDecimal(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        // DuckDB SQL as written (PostgreSQL-style analytics), answered by the mirror.
        await using (var report = connection.CreateCommand())
        {
            report.CommandText = "SELECT region, count(*) AS n FROM orders GROUP BY ALL ORDER BY region";
            await using var reader = await report.ExecuteReaderAsync();
            Assert.Equal(RheiRoute.Olap, reader.Route);
            var counts = new List<(string, long)>();
            while (await reader.ReadAsync())
            {
                counts.Add((reader.GetString(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)));
            }

            Assert.Equal([("east", 333L), ("north", 334L), ("south", 333L)], counts);
        }

        // The source is followed read-only.
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO orders (id, region, amount) VALUES (5000, 'west', 1)";
        var refused = await Assert.ThrowsAsync<RheiException>(() => insert.ExecuteNonQueryAsync());
        Assert.Contains("read-only", refused.Message, StringComparison.OrdinalIgnoreCase);

        var status = await connection.GetSyncStatusAsync();
        var orders = Assert.Single(status.Tables, t => t.Table == "orders");
        Assert.Equal(RheiTableSyncState.Active, orders.State);
        Assert.Equal(1000, orders.Rows);
        Assert.DoesNotContain(PasswordOf(source), status.ToString() + orders.SourcePosition, StringComparison.Ordinal);
    }

    private static string PasswordOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Password!;

    private static async Task<object?> ScalarAsync(RheiConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Route = RheiRoute.Olap;
        return await command.ExecuteScalarAsync();
    }

    public void Dispose()
    {
        RheiConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
