using System.Data;

namespace Rhei.Data.Tests.Ado;

public class RheiCommandTest
{
    private static TestDatabase CreateWithItems()
    {
        var db = TestDatabase.Create();
        db.Execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, qty INTEGER, data BLOB)");
        db.Execute("INSERT INTO items VALUES (1, 'apple', 1.5, 10, x'0102'), (2, 'banana', 0.25, NULL, NULL), (3, 'cherry', 10.0, 3, x'')");
        return db;
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task Values_come_back_as_sqlite_storage_classes_on_both_routes(RheiRoute route)
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT id, name, price, qty, data FROM items ORDER BY id", connection) { Route = route };
        using var reader = command.ExecuteReader();
        Assert.Equal(route, reader.Route);
        Assert.True(reader.Read());
        Assert.Equal(1L, reader.GetValue(0));
        Assert.Equal("apple", reader.GetValue(1));
        Assert.Equal(1.5, reader.GetValue(2));
        Assert.Equal(10L, reader.GetValue(3));
        Assert.Equal(new byte[] { 1, 2 }, reader.GetValue(4));
        Assert.Equal(typeof(long), reader.GetFieldType(0));
        Assert.Equal(typeof(string), reader.GetFieldType(1));
        Assert.Equal(1, reader.GetInt32(0));
        Assert.Equal(1.5m, reader.GetDecimal(2));
        Assert.True(reader.Read());
        Assert.True(reader.IsDBNull(3));
        Assert.Equal(DBNull.Value, reader.GetValue(4));
        Assert.True(reader.Read());
        Assert.False(reader.Read());
    }

    [Theory]
    [InlineData(RheiRoute.Oltp, "@p")]
    [InlineData(RheiRoute.Olap, "@p")]
    [InlineData(RheiRoute.Oltp, ":p")]
    [InlineData(RheiRoute.Olap, ":p")]
    [InlineData(RheiRoute.Oltp, "$p")]
    [InlineData(RheiRoute.Olap, "$p")]
    public async Task Named_parameters_bind_on_both_engines(RheiRoute route, string placeholder)
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var command = new RheiCommand($"SELECT COUNT(*) FROM items WHERE price > {placeholder}", connection) { Route = route };
        command.Parameters.AddWithValue(placeholder, 1.0);
        Assert.Equal(2L, command.ExecuteScalar());
        command.Parameters[0].ParameterName = "p"; // unprefixed names match any prefix, as in Microsoft.Data.Sqlite
        command.Parameters[0].Value = 5;
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task Positional_parameters_bind_on_both_engines(RheiRoute route)
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT name FROM items WHERE id = ? OR id = ?2 ORDER BY id", connection) { Route = route };
        command.Parameters.AddWithValue(null, 1);
        command.Parameters.AddWithValue(null, 3);
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        Assert.Equal(["apple", "cherry"], names);
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task Multi_statement_text_gives_several_result_sets(RheiRoute route)
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT COUNT(*) FROM items; SELECT name FROM items WHERE id = 2", connection) { Route = route };
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(3L, reader.GetInt64(0));
        Assert.True(reader.NextResult());
        Assert.True(reader.Read());
        Assert.Equal("banana", reader.GetString(0));
        Assert.False(reader.NextResult());
    }

    [Fact]
    public async Task Syntax_error_on_sqlite_names_sqlite_and_leaves_connection_usable()
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var bad = new RheiCommand("SELEC oops FROM items", connection);
        var ex = Assert.Throws<RheiException>(() => bad.ExecuteReader());
        Assert.Equal("SQLite", ex.Engine);
        Assert.Contains("syntax error", ex.Message, StringComparison.OrdinalIgnoreCase);
        using var good = new RheiCommand("SELECT COUNT(*) FROM items", connection);
        Assert.Equal(3L, good.ExecuteScalar());
    }

    [Fact]
    public async Task Error_on_duckdb_names_duckdb_carries_translated_sql_and_leaves_connection_usable()
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var bad = new RheiCommand("SELECT no_such_column FROM items", connection) { Route = RheiRoute.Olap };
        var ex = Assert.Throws<RheiException>(() => bad.ExecuteReader());
        Assert.Equal("DuckDB", ex.Engine);
        Assert.NotNull(ex.Data["TranslatedSql"]);
        using var good = new RheiCommand("SELECT COUNT(*) FROM items", connection) { Route = RheiRoute.Olap };
        Assert.Equal(3L, good.ExecuteScalar());
    }

    [Fact]
    public async Task Write_forced_to_duckdb_is_refused_and_changes_nothing()
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var write = new RheiCommand("DELETE FROM items", connection) { Route = RheiRoute.Olap };
        var ex = Assert.Throws<RheiException>(() => write.ExecuteNonQuery());
        Assert.Contains("SQLite", ex.Message, StringComparison.Ordinal);
        using var count = new RheiCommand("SELECT COUNT(*) FROM items", connection);
        Assert.Equal(3L, count.ExecuteScalar());
    }

    [Fact]
    public async Task Hint_comment_picks_the_engine()
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var olap = new RheiCommand("/*+ rhei:olap */ SELECT name FROM items WHERE id = 1", connection);
        using (var reader = olap.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
        }

        using var oltp = new RheiCommand("/*+ rhei:oltp */ SELECT COUNT(*) FROM items GROUP BY qty", connection);
        using (var reader = oltp.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Oltp, reader.Route);
        }
    }

    [Fact]
    public async Task Reused_command_binds_new_parameter_values_each_time()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE kv (id INTEGER PRIMARY KEY, v TEXT)");
        using var connection = db.Open();
        using var insert = new RheiCommand("INSERT INTO kv VALUES ($id, $v)", connection);
        var id = insert.Parameters.AddWithValue("$id", 0);
        var v = insert.Parameters.AddWithValue("$v", "");
        foreach (var (key, text) in new[] { (1, "one"), (2, "two"), (3, "three") })
        {
            id.Value = key;
            v.Value = text;
            insert.ExecuteNonQuery();
        }

        using var read = new RheiCommand("SELECT group_concat(v, ',') FROM (SELECT v FROM kv ORDER BY id)", connection);
        Assert.Equal("one,two,three", read.ExecuteScalar());

        // Storage classes survive reuse too: a column without affinity keeps what was bound.
        db.Execute("CREATE TABLE loose (id INTEGER PRIMARY KEY, v)");
        using var loose = new RheiCommand("INSERT INTO loose VALUES ($id, $v)", connection);
        var looseId = loose.Parameters.AddWithValue("$id", 0);
        var looseValue = loose.Parameters.AddWithValue("$v", 0);
        object[] values = [7, 2.5, "text", new byte[] { 1 }, 8L];
        for (var i = 0; i < values.Length; i++)
        {
            looseId.Value = i;
            looseValue.Value = values[i];
            loose.ExecuteNonQuery();
        }

        using var types = new RheiCommand("SELECT group_concat(typeof(v), ',') FROM (SELECT v FROM loose ORDER BY id)", connection);
        Assert.Equal("integer,real,text,blob,integer", types.ExecuteScalar());
    }

    [Fact]
    public async Task ExecuteNonQuery_counts_changes()
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var update = new RheiCommand("UPDATE items SET qty = 0 WHERE qty IS NOT NULL", connection);
        Assert.Equal(2, update.ExecuteNonQuery());
    }

    [Fact]
    public async Task Cancelled_token_cancels_before_running()
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var command = new RheiCommand("DELETE FROM items", connection);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteNonQueryAsync(cts.Token));
        using var count = new RheiCommand("SELECT COUNT(*) FROM items", connection);
        Assert.Equal(3L, count.ExecuteScalar());
    }

    [Fact]
    public async Task Long_duckdb_query_is_cancelled_by_token_and_session_stays_usable()
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var slow = new RheiCommand("SELECT COUNT(*) FROM range(100000000) a, range(100000) b", connection) { Route = RheiRoute.Olap };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow.ExecuteScalarAsync(cts.Token));
        using var count = new RheiCommand("SELECT COUNT(*) FROM items", connection) { Route = RheiRoute.Olap };
        Assert.Equal(3L, count.ExecuteScalar());
    }

    [Fact]
    public async Task Reader_getters_convert_like_microsoft_data_sqlite_on_duckdb()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE e (id INTEGER PRIMARY KEY, at TEXT, amount TEXT, g TEXT, flag INTEGER)");
        var guid = Guid.NewGuid();
        db.Execute("INSERT INTO e VALUES (1, '2024-03-05 10:11:12.5', '12.345', $g, 1)", ("$g", guid.ToString().ToUpperInvariant()));
        using var connection = db.Open();
        foreach (var route in new[] { RheiRoute.Oltp, RheiRoute.Olap })
        {
            using var command = new RheiCommand("SELECT at, amount, g, flag FROM e", connection) { Route = route };
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal(new DateTime(2024, 3, 5, 10, 11, 12, 500), reader.GetDateTime(0));
            Assert.Equal(12.345m, reader.GetDecimal(1));
            Assert.Equal(guid, reader.GetGuid(2));
            Assert.True(reader.GetBoolean(3));
            Assert.Equal(12.345m, reader.GetFieldValue<decimal>(1));
            Assert.Equal("2024-03-05 10:11:12.5", reader.GetTextReader(0).ReadToEnd());
            Assert.Equal(1, reader.GetFieldValue<int?>(3));
        }
    }

    [Fact]
    public async Task Schema_table_describes_columns_on_duckdb()
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT id, name FROM items", connection) { Route = RheiRoute.Olap };
        using var reader = command.ExecuteReader(CommandBehavior.SchemaOnly);
        var schema = reader.GetSchemaTable()!;
        Assert.Equal(2, schema.Rows.Count);
        Assert.Equal("id", schema.Rows[0]["ColumnName"]);
        Assert.Equal(typeof(long), schema.Rows[0]["DataType"]);
        Assert.Equal("TEXT", reader.GetDataTypeName(1));
    }

    [Fact]
    public async Task Batch_runs_in_one_transaction()
    {
        await using var db = CreateWithItems();
        using var connection = db.Open();
        using var batch = connection.CreateBatch();
        batch.BatchCommands.Add(new RheiBatchCommand("INSERT INTO items (id, name) VALUES (10, 'x')"));
        batch.BatchCommands.Add(new RheiBatchCommand("INSERT INTO items (id, name) VALUES (1, 'duplicate key')"));
        Assert.Throws<RheiException>(() => batch.ExecuteNonQuery());
        using var count = new RheiCommand("SELECT COUNT(*) FROM items", connection);
        Assert.Equal(3L, count.ExecuteScalar());

        batch.BatchCommands.RemoveAt(1);
        var p = new RheiBatchCommand("INSERT INTO items (id, name) VALUES (@id, 'y')");
        p.Parameters.AddWithValue("@id", 11);
        batch.BatchCommands.Add(p);
        Assert.Equal(2, batch.ExecuteNonQuery());
        Assert.Equal(5L, count.ExecuteScalar());
    }

    [Fact]
    public async Task Data_source_command_opens_its_own_connection()
    {
        await using var db = CreateWithItems();
        using var command = db.DataSource.CreateCommand("SELECT COUNT(*) FROM items");
        Assert.Equal(3L, command.ExecuteScalar());
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
    }
}
