namespace Rhei.Data.Tests.Parity;

/// <summary>
/// Ports of rhei's query-side integration tests (seed 000: query_routing, test_oltp_create_and_query,
/// test_parameterized_execute), through the public ADO.NET surface. The replication-side tests are in
/// Sync/RheiParityTest. Where rhei needed register_table and sync_now, Rhei.Data registers tables with a
/// primary key by itself and a strong read syncs first; the tests show that too.
/// </summary>
public class RheiQueryParityTest
{
    private static async Task<TestDatabase> UsersAsync()
    {
        var db = TestDatabase.Create();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        using var create = new RheiCommand("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, age INTEGER)", connection);
        await create.ExecuteNonQueryAsync();
        using var alice = new RheiCommand("INSERT INTO users VALUES (1, 'Alice', 30)", connection);
        await alice.ExecuteNonQueryAsync();
        using var bob = new RheiCommand("INSERT INTO users VALUES (2, 'Bob', 25)", connection);
        await bob.ExecuteNonQueryAsync();
        return db;
    }

    [Fact]
    public async Task QueryRouting()
    {
        await using var db = await UsersAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();

        // A point lookup goes to SQLite.
        using (var point = new RheiCommand("SELECT * FROM users WHERE id = 1", connection))
        await using (var reader = await point.ExecuteReaderAsync())
        {
            Assert.Equal(RheiRoute.Oltp, reader.Route);
            Assert.True(await reader.ReadAsync());
            Assert.Equal("Alice", reader["name"]);
            Assert.False(await reader.ReadAsync());
        }

        // An aggregate goes to DuckDB, which has caught up without an explicit sync.
        using (var count = new RheiCommand("SELECT COUNT(*) FROM users", connection))
        await using (var reader = await count.ExecuteReaderAsync())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
            Assert.True(await reader.ReadAsync());
            Assert.Equal(2L, reader.GetInt64(0));
        }

        // Forcing OLAP (rhei's QueryHint::ForceOlap) returns every row from the mirror.
        using (var forced = new RheiCommand("SELECT * FROM users", connection) { Route = RheiRoute.Olap })
        await using (var reader = await forced.ExecuteReaderAsync())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
            var rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
            }

            Assert.Equal(2, rows);
        }
    }

    [Fact]
    public async Task OltpCreateAndQuery()
    {
        await using var db = await UsersAsync();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        using var query = new RheiCommand("SELECT * FROM users ORDER BY id", connection);
        await using var reader = await query.ExecuteReaderAsync();
        Assert.Equal(RheiRoute.Oltp, reader.Route);
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(1));
        }

        Assert.Equal(["Alice", "Bob"], names);
    }

    [Fact]
    public async Task ParameterizedExecute()
    {
        await using var db = TestDatabase.Create();
        await using var connection = await db.DataSource.OpenConnectionAsync();
        using (var create = new RheiCommand("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, age INTEGER)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        using (var insert = new RheiCommand("INSERT INTO users VALUES (?1, ?2, ?3)", connection))
        {
            insert.Parameters.AddWithValue("?1", 1);
            insert.Parameters.AddWithValue("?2", "Alice");
            insert.Parameters.AddWithValue("?3", 30);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        using var query = new RheiCommand("SELECT name FROM users WHERE id = 1", connection);
        Assert.Equal("Alice", await query.ExecuteScalarAsync());
        using var olap = new RheiCommand("SELECT name FROM users WHERE id = ?1", connection) { Route = RheiRoute.Olap };
        olap.Parameters.AddWithValue("?1", 1);
        Assert.Equal("Alice", await olap.ExecuteScalarAsync());
    }
}
