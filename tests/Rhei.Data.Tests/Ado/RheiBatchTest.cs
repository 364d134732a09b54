using System.Data;

namespace Rhei.Data.Tests.Ado;

public class RheiBatchTest
{
    private static TestDatabase CreateWithRows()
    {
        var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER, s TEXT)");
        db.Execute("INSERT INTO t VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c')");
        return db;
    }

    [Fact]
    public async Task Batch_of_reads_honours_each_commands_route_and_hint()
    {
        await using var db = CreateWithRows();
        using var probe = new EngineProbe(db.DataSource);
        using var connection = db.Open();
        using var batch = connection.CreateBatch();
        batch.BatchCommands.Add(new RheiBatchCommand("SELECT count(*) FROM t") { Route = RheiRoute.Olap });
        batch.BatchCommands.Add(new RheiBatchCommand("/*+ rhei:olap */ SELECT sum(v) FROM t"));
        batch.BatchCommands.Add(new RheiBatchCommand("SELECT s FROM t WHERE id = 2") { Route = RheiRoute.Oltp });
        using var reader = batch.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(3L, reader.GetInt64(0));
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal(60L, reader.GetInt64(0));
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal("b", reader.GetString(0));
        Assert.Equal(2, probe.DuckDb);
        Assert.Equal(1, probe.Sqlite);
        Assert.Null(connection.Transaction);
    }

    [Fact]
    public async Task Olap_route_in_a_batch_that_writes_is_refused_before_anything_runs()
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var batch = connection.CreateBatch();
        batch.BatchCommands.Add(new RheiBatchCommand("INSERT INTO t VALUES (4, 40, 'd')"));
        batch.BatchCommands.Add(new RheiBatchCommand("SELECT count(*) FROM t") { Route = RheiRoute.Olap });
        var ex = Assert.Throws<InvalidOperationException>(() => batch.ExecuteNonQuery());
        Assert.Contains("Batch command 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Route=Olap", ex.Message, StringComparison.Ordinal);
        using var count = new RheiCommand("SELECT count(*) FROM t", connection);
        Assert.Equal(3L, count.ExecuteScalar());
    }

    [Fact]
    public async Task Olap_route_in_a_batch_inside_the_connections_transaction_is_refused()
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var tx = connection.BeginTransaction();
        using var batch = connection.CreateBatch();
        batch.Transaction = tx;
        batch.BatchCommands.Add(new RheiBatchCommand("SELECT count(*) FROM t") { Route = RheiRoute.Olap });
        Assert.Throws<InvalidOperationException>(() => batch.ExecuteScalar());
    }

    [Fact]
    public async Task Batch_that_writes_runs_on_sqlite_in_one_transaction()
    {
        await using var db = CreateWithRows();
        using var probe = new EngineProbe(db.DataSource);
        using var connection = db.Open();
        using var batch = connection.CreateBatch();
        batch.BatchCommands.Add(new RheiBatchCommand("INSERT INTO t VALUES (4, 40, 'd')"));
        batch.BatchCommands.Add(new RheiBatchCommand("SELECT count(*) FROM t"));
        batch.BatchCommands.Add(new RheiBatchCommand("INSERT INTO t VALUES (1, 0, 'duplicate')"));
        Assert.Throws<RheiException>(() => batch.ExecuteNonQuery());
        Assert.Equal(0, probe.DuckDb);
        using var count = new RheiCommand("SELECT count(*) FROM t", connection);
        Assert.Equal(3L, count.ExecuteScalar());
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task Batch_parameters_keep_their_Size(RheiRoute route)
    {
        await using var db = CreateWithRows();
        using var probe = new EngineProbe(db.DataSource);
        using var connection = db.Open();
        using var read = connection.CreateBatch();
        var sized = new RheiBatchCommand("SELECT @s, @b FROM t WHERE id = 1") { Route = route };
        sized.Parameters.Add(new RheiParameter("@s", "abcdef") { Size = 3 });
        sized.Parameters.Add(new RheiParameter("@b", new byte[] { 1, 2, 3, 4 }) { Size = 2 });
        read.BatchCommands.Add(sized);
        using (var reader = read.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal("abc", reader.GetString(0));
            Assert.Equal(new byte[] { 1, 2 }, reader.GetValue(1));
        }

        Assert.Equal(route == RheiRoute.Olap ? 1 : 0, probe.DuckDb);

        using var write = connection.CreateBatch();
        var insert = new RheiBatchCommand("INSERT INTO t VALUES (9, 9, @s)");
        insert.Parameters.Add(new RheiParameter("@s", "abcdef") { Size = 2 });
        write.BatchCommands.Add(insert);
        Assert.Equal(1, write.ExecuteNonQuery());
        using var check = new RheiCommand("SELECT s FROM t WHERE id = 9", connection);
        Assert.Equal("ab", check.ExecuteScalar());
    }

    [Fact]
    public void Batch_copies_every_binding_property_of_a_parameter()
    {
        // Microsoft.Data.Sqlite binds by value alone; DuckDB's binder reads DbType and Size, so the copy must keep them.
        var original = new RheiParameter("@p", 5) { DbType = DbType.String, Size = 7, IsNullable = true, SourceColumn = "c" };
        var copy = original.Clone();
        Assert.Equal(("@p", (object?)5, DbType.String, 7, true, "c"),
            (copy.ParameterName, copy.Value, copy.DbType, copy.Size, copy.IsNullable, copy.SourceColumn));
        Assert.True(copy.DbTypeIsSet);
        Assert.False(new RheiParameter { ParameterName = "@q" }.Clone().ValueIsSet);
        Assert.False(new RheiParameter("@r", 1).Clone().DbTypeIsSet);
    }

    [Fact]
    public async Task Batch_parameter_whose_value_was_never_set_is_refused()
    {
        await using var db = CreateWithRows();
        using var connection = db.Open();
        using var batch = connection.CreateBatch();
        var command = new RheiBatchCommand("SELECT count(*) FROM t WHERE v > @min");
        command.Parameters.Add(new RheiParameter { ParameterName = "@min" });
        batch.BatchCommands.Add(command);
        Assert.Throws<InvalidOperationException>(() => batch.ExecuteScalar());
    }
}
