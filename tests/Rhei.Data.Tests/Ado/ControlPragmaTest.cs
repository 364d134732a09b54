namespace Rhei.Data.Tests.Ado;

public class ControlPragmaTest
{
    [Fact]
    public async Task Pragma_rhei_sync_runs_one_cycle_and_returns_counts()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        db.Execute("UPDATE t SET v = 'c' WHERE id = 2");
        using var connection = db.Open();
        using var command = new RheiCommand("PRAGMA rhei_sync;", connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(3L, reader["events_processed"]);
        Assert.Equal(2L, reader["rows_inserted"]);
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task Pragma_rhei_status_has_a_row_per_replicated_table()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE a (id INTEGER PRIMARY KEY)");
        db.Execute("CREATE TABLE b (id TEXT PRIMARY KEY, n INTEGER)");
        db.Execute("CREATE TABLE nokey (x INTEGER)");
        db.Execute("INSERT INTO b VALUES ('k', 1)");
        using var connection = db.Open();
        using var command = new RheiCommand("PRAGMA rhei_status", connection);
        using var reader = command.ExecuteReader();
        var tables = new Dictionary<string, (string Mode, string State, long Lag)>();
        while (reader.Read())
        {
            tables[reader.GetString(0)] = (reader.GetString(1), reader.GetString(4), reader.GetInt64(3));
        }

        Assert.Equal(["a", "b"], tables.Keys.Order().ToArray());
        Assert.Equal(("Destructive", "Active"), (tables["b"].Mode, tables["b"].State));
        Assert.Equal(1L, tables["b"].Lag);
    }

    [Fact]
    public async Task Pragma_rhei_register_and_initial_sync_with_replicate_none()
    {
        await using var db = TestDatabase.Create("Sync Interval=0;Replicate=None");
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        db.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        using var connection = db.Open();
        using var route = new RheiCommand("SELECT COUNT(*) FROM t", connection);
        var before = route.ExplainRoute();
        Assert.Equal(RheiRoute.Oltp, before.Target);
        Assert.Contains("'t'", before.Reason, StringComparison.Ordinal);

        using (var register = new RheiCommand("PRAGMA rhei_register('t')", connection))
        {
            register.ExecuteNonQuery();
        }

        Assert.Equal(RheiRoute.Olap, route.ExplainRoute().Target);
        using (var initial = new RheiCommand("PRAGMA rhei_initial_sync('t')", connection))
        using (var reader = initial.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal(2L, reader["rows"]);
        }

        using var reader2 = route.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, reader2.Route);
        Assert.True(reader2.Read());
        Assert.Equal(2L, reader2.GetInt64(0));
    }

    [Fact]
    public async Task Pragma_rhei_route_explains_target_and_reason()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        using var connection = db.Open();
        using var command = new RheiCommand("PRAGMA rhei_route('SELECT v, COUNT(*) FROM t GROUP BY v')", connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("duckdb", reader["target"]);
        Assert.False(string.IsNullOrEmpty((string)reader["reason"]));

        using var point = new RheiCommand("PRAGMA rhei_route('SELECT v FROM t WHERE id = 1')", connection);
        Assert.Equal("sqlite", point.ExecuteScalar());
    }

    [Fact]
    public async Task Unknown_control_pragma_says_which_exist()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        using var command = new RheiCommand("PRAGMA rhei_frobnicate", connection);
        var ex = Assert.Throws<RheiException>(() => command.ExecuteNonQuery());
        Assert.Contains("rhei_sync", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replicate_list_replicates_only_the_named_tables()
    {
        await using var db = TestDatabase.Create("Sync Interval=0;Replicate=orders");
        db.Execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)");
        db.Execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
        using var connection = db.Open();
        using var orders = new RheiCommand("SELECT SUM(total) FROM orders", connection);
        using var notes = new RheiCommand("SELECT COUNT(*) FROM notes", connection);
        Assert.Equal(RheiRoute.Olap, orders.ExplainRoute().Target);
        Assert.Equal(RheiRoute.Oltp, notes.ExplainRoute().Target);
    }
}
