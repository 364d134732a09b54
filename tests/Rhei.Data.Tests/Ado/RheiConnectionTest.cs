using System.Data;
using System.Data.Common;

namespace Rhei.Data.Tests.Ado;

public class RheiConnectionTest
{
    [Fact]
    public async Task Open_and_close_are_idempotent_and_raise_state_changes()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.DataSource.CreateConnection();
        var changes = new List<ConnectionState>();
        connection.StateChange += (_, e) => changes.Add(e.CurrentState);
        connection.Open();
        connection.Open();
        Assert.Equal(ConnectionState.Open, connection.State);
        connection.Close();
        connection.Close();
        Assert.Equal([ConnectionState.Open, ConnectionState.Closed], changes);
    }

    [Fact]
    public async Task Dispose_twice_is_harmless_and_use_after_dispose_throws()
    {
        await using var db = TestDatabase.Create();
        var connection = db.Open();
        connection.Dispose();
        connection.Dispose();
        Assert.Throws<ObjectDisposedException>(() => connection.Open());
    }

    [Fact]
    public void ConnectionString_with_unknown_key_fails_at_once_naming_it()
    {
        var ex = Assert.Throws<ArgumentException>(() => new RheiConnection("Data Source=x.db;Sink Mode=Fast"));
        Assert.Contains("sink mode", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Open_without_connection_string_says_so()
    {
        using var connection = new RheiConnection();
        var ex = Assert.Throws<InvalidOperationException>(() => connection.Open());
        Assert.Contains("ConnectionString", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Private_memory_database_with_mirror_is_refused_with_the_fix()
    {
        using var connection = new RheiConnection("Data Source=:memory:");
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => connection.OpenAsync());
        Assert.Contains("Olap=None", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_sqlite_memory_connection_works_with_olap_none()
    {
        using var connection = new RheiConnection("Data Source=:memory:;Olap=None");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 + 1";
        Assert.Equal(2L, command.ExecuteScalar());
        RheiConnection.ClearPool(connection);
    }

    [Fact]
    public async Task Connections_from_one_connection_string_share_one_engine_until_cleared()
    {
        await using var db = TestDatabase.Create();
        using var first = new RheiConnection(db.ConnectionString);
        using var second = new RheiConnection(db.ConnectionString);
        first.Open();
        second.Open();
        Assert.Same(first.Engine, second.Engine);
        first.Close();
        second.Close();
        second.Open();
        var engine = second.Engine;
        second.Close();
        RheiConnection.ClearPool(second);
        second.Open();
        Assert.NotSame(engine, second.Engine);
        second.Close();
        RheiConnection.ClearPool(second);
    }

    [Fact]
    public async Task Clearing_one_connection_strings_engine_leaves_another_open_connection_answering_from_its_mirror()
    {
        // Tests clear their own engine this way while others run in parallel; ClearAllPools would clear every one.
        await using var kept = TestDatabase.Create();
        await using var cleared = TestDatabase.Create();
        kept.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        kept.Execute("INSERT INTO t VALUES (1, 10), (2, 32)");
        using var open = new RheiConnection(kept.ConnectionString);
        open.Open();
        var engine = open.Engine;
        using (var other = new RheiConnection(cleared.ConnectionString))
        {
            other.Open();
        }

        RheiConnection.ClearPool(new RheiConnection(cleared.ConnectionString));

        Assert.Same(engine, open.Engine);
        using var sum = open.CreateCommand();
        sum.CommandText = "SELECT SUM(v) FROM t";
        sum.Route = RheiRoute.Olap;
        Assert.Equal(42L, Convert.ToInt64(sum.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
        open.Close();
        RheiConnection.ClearPool(open);
    }

    [Fact]
    public async Task Transaction_commit_and_rollback()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        using var connection = db.Open();
        using (var tx = connection.BeginTransaction())
        {
            using var insert = new RheiCommand("INSERT INTO t VALUES (1, 'kept')", connection, tx);
            insert.ExecuteNonQuery();
            tx.Commit();
        }

        using (var tx = connection.BeginTransaction())
        {
            using var insert = new RheiCommand("INSERT INTO t VALUES (2, 'dropped')", connection, tx);
            insert.ExecuteNonQuery();
            using var read = new RheiCommand("SELECT COUNT(*) FROM t", connection, tx) { Route = RheiRoute.Olap };
            using var reader = read.ExecuteReader();
            Assert.Equal(RheiRoute.Oltp, reader.Route); // inside a transaction SQLite answers, reading its own writes
            Assert.True(reader.Read());
            Assert.Equal(2L, reader.GetInt64(0));
            reader.Close();
            tx.Rollback();
        }

        using var count = new RheiCommand("SELECT COUNT(*) FROM t", connection) { Route = RheiRoute.Olap };
        Assert.Equal(1L, count.ExecuteScalar());
    }

    [Fact]
    public async Task Command_without_transaction_inside_one_is_refused_like_sqlite()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        using var tx = connection.BeginTransaction();
        using var command = new RheiCommand("SELECT 1", connection);
        Assert.Throws<InvalidOperationException>(() => command.ExecuteScalar());
    }

    [Fact]
    public async Task Provider_factory_registered_by_invariant_name_creates_working_connections()
    {
        await using var db = TestDatabase.Create();
        DbProviderFactories.RegisterFactory("Rhei.Data", RheiFactory.Instance);
        var factory = DbProviderFactories.GetFactory("Rhei.Data");
        using var connection = factory.CreateConnection()!;
        connection.ConnectionString = db.ConnectionString;
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 'hello'";
        Assert.Equal("hello", command.ExecuteScalar());
        connection.Close();
        RheiConnection.ClearPool((RheiConnection)connection);
    }

    [Fact]
    public async Task ServerVersion_names_both_engines()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        Assert.Contains("SQLite", connection.ServerVersion, StringComparison.Ordinal);
        Assert.Contains("DuckDB", connection.ServerVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_database_runs_in_wal_mode()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        using var command = new RheiCommand("PRAGMA journal_mode", connection);
        Assert.Equal("wal", command.ExecuteScalar());
    }
}
