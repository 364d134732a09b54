namespace Rhei.Data.Tests.Ado;

public class RoutingIntegrationTest
{
    [Fact]
    public async Task Quarantined_table_reads_go_to_sqlite_until_repaired_and_resynced()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE m (id INTEGER PRIMARY KEY, n INTEGER)");
        db.Execute("CREATE TABLE ok (id INTEGER PRIMARY KEY, n INTEGER)");
        db.Execute("INSERT INTO m VALUES (1, 10), (2, 'not a number')");
        db.Execute("INSERT INTO ok VALUES (1, 5)");
        using var connection = db.Open();
        await connection.SyncAsync();

        var status = await connection.GetSyncStatusAsync();
        var quarantined = Assert.Single(status.Tables, t => t.Table == "m");
        Assert.Equal(RheiTableSyncState.Quarantined, quarantined.State);
        Assert.Contains("2", quarantined.OffendingKey ?? quarantined.QuarantineReason ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(RheiTableSyncState.Active, Assert.Single(status.Tables, t => t.Table == "ok").State);

        using var read = new RheiCommand("SELECT COUNT(*), SUM(id) FROM m", connection);
        var explanation = read.ExplainRoute();
        Assert.Equal(RheiRoute.Oltp, explanation.Target);
        Assert.Contains("quarantined", explanation.Reason, StringComparison.OrdinalIgnoreCase);
        using (var reader = read.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Oltp, reader.Route);
            Assert.True(reader.Read());
            Assert.Equal(2L, reader.GetInt64(0));
        }

        // The other table keeps syncing.
        db.Execute("INSERT INTO ok VALUES (2, 6)");
        using var okRead = new RheiCommand("SELECT SUM(n) FROM ok", connection);
        using (var reader = okRead.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
            Assert.True(reader.Read());
            Assert.Equal(11L, reader.GetInt64(0));
        }

        db.Execute("UPDATE m SET n = 20 WHERE id = 2");
        await connection.InitialSyncAsync("m");
        Assert.Equal(RheiRoute.Olap, read.ExplainRoute().Target);
        using var repaired = new RheiCommand("SELECT SUM(n) FROM m", connection);
        using (var reader = repaired.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
            Assert.True(reader.Read());
            Assert.Equal(30L, reader.GetInt64(0));
        }
    }

    [Fact]
    public async Task Tables_created_later_through_a_command_replicate_and_analytics_see_them()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        using (var create = new RheiCommand("CREATE TABLE later (id INTEGER PRIMARY KEY, g TEXT, v REAL)", connection))
        {
            create.ExecuteNonQuery();
        }

        using (var insert = new RheiCommand("INSERT INTO later VALUES (1, 'x', 1.5), (2, 'x', 2.5), (3, 'y', 4)", connection))
        {
            insert.ExecuteNonQuery();
        }

        using var query = new RheiCommand("SELECT g, SUM(v) FROM later GROUP BY g ORDER BY g", connection);
        using var reader = query.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        Assert.True(reader.Read());
        Assert.Equal(("x", 4.0), (reader.GetString(0), reader.GetDouble(1)));
        Assert.True(reader.Read());
        Assert.Equal(("y", 4.0), (reader.GetString(0), reader.GetDouble(1)));
    }

    [Fact]
    public async Task Schema_changes_through_commands_keep_the_mirror_consistent()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        void Run(string sql)
        {
            using var command = new RheiCommand(sql, connection);
            command.ExecuteNonQuery();
        }

        Run("CREATE TABLE s (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)");
        Run("INSERT INTO s VALUES (1, 'one', 1), (2, 'two', 2)");
        Run("ALTER TABLE s ADD COLUMN c REAL DEFAULT 0.5");
        Run("INSERT INTO s VALUES (3, 'three', 3, 1.5)");
        using (var sum = new RheiCommand("SELECT SUM(c), COUNT(*) FROM s", connection))
        using (var reader = sum.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
            Assert.True(reader.Read());
            Assert.Equal(2.5, reader.GetDouble(0));
        }

        Run("ALTER TABLE s DROP COLUMN b");
        Run("ALTER TABLE s RENAME TO s2");
        Run("INSERT INTO s2 VALUES (4, 'four', 2.0)");
        using (var count = new RheiCommand("SELECT COUNT(DISTINCT a), SUM(c) FROM s2", connection))
        using (var reader = count.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
            Assert.True(reader.Read());
            Assert.Equal(4L, reader.GetInt64(0));
            Assert.Equal(4.5, reader.GetDouble(1));
        }

        Run("DROP TABLE s2");
        using var gone = new RheiCommand("SELECT COUNT(*) FROM s2 GROUP BY a", connection);
        var ex = Assert.Throws<RheiException>(() => gone.ExecuteReader());
        Assert.Equal("SQLite", ex.Engine);
        Assert.Contains("no such table", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recreated_table_with_other_column_types_is_translated_afresh()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        void Run(string sql)
        {
            using var command = new RheiCommand(sql, connection);
            command.ExecuteNonQuery();
        }

        Run("CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER)");
        Run("INSERT INTO t VALUES (1, 3), (2, 4)");
        using var query = new RheiCommand("SELECT SUM(x % 2) FROM t", connection);
        Assert.Equal(RheiRoute.Olap, query.ExplainRoute().Target);
        Assert.Equal(1L, query.ExecuteScalar());

        // Same text, but x is now REAL: SQLite's % truncates REAL operands, which DuckDB does not do.
        Run("DROP TABLE t");
        Run("CREATE TABLE t (id INTEGER PRIMARY KEY, x REAL)");
        Run("INSERT INTO t VALUES (1, 3.5), (2, 4.5)");
        var explanation = query.ExplainRoute();
        Assert.Equal(RheiRoute.Oltp, explanation.Target);
        Assert.Equal(1.0, query.ExecuteScalar()); // SQLite: 3.5 % 2 = 1.0 and 4.5 % 2 = 0.0, both REAL
    }

    [Fact]
    public async Task A_repeated_duckdb_query_sees_columns_added_since_its_last_run()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        db.Execute("CREATE TABLE w (id INTEGER PRIMARY KEY, a INTEGER)");
        db.Execute("INSERT INTO w VALUES (1, 10), (2, 20)");
        using var query = new RheiCommand("SELECT * FROM w ORDER BY id", connection) { Route = RheiRoute.Olap };
        using (var reader = query.ExecuteReader())
        {
            Assert.Equal(2, reader.FieldCount);
        }

        db.Execute("ALTER TABLE w ADD COLUMN b TEXT DEFAULT 'x'");
        using (var reader = query.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
            Assert.Equal(3, reader.FieldCount);
            Assert.True(reader.Read());
            Assert.Equal("x", reader.GetString(2));
        }
    }
}
