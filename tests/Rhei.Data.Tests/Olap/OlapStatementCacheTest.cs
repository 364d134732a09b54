using Rhei.Data.Olap;

namespace Rhei.Data.Tests.Olap;

/// <summary>
/// Issue 9.1: DuckDB statements are cached per pooled session by text; a cached statement must give the same
/// rows as a fresh one after the table grows, its schema changes, and across chunk boundaries.
/// </summary>
public class OlapStatementCacheTest
{
    private const string Select = "SELECT id, v, s FROM t ORDER BY id";

    [Fact]
    public async Task Reused_statement_returns_every_row_after_the_table_grows()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, s TEXT)");
        Insert(db, 1, 1000);

        using var connection = db.Open();
        using (var first = Command(connection, Select))
        {
            AssertRows(first, 1000);
        }

        Insert(db, 1001, 70000);

        using (var again = Command(connection, Select))
        {
            AssertRows(again, 70000);
        }

        // A second execution of the very same command object too.
        using var reused = Command(connection, Select);
        AssertRows(reused, 70000);
        AssertRows(reused, 70000);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2047)]
    [InlineData(2048)]
    [InlineData(2049)]
    [InlineData(4096)]
    [InlineData(5000)]
    public async Task Reused_statement_reads_results_across_chunk_boundaries(int rows)
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, s TEXT)");
        Insert(db, 1, 3);

        using var connection = db.Open();
        using (var first = Command(connection, Select))
        {
            AssertRows(first, 3);
        }

        db.Execute("DELETE FROM t");
        Insert(db, 1, rows);
        using var command = Command(connection, Select);
        AssertRows(command, rows);
        Insert(db, rows + 1, rows + 2100);
        AssertRows(command, rows + 2100);
    }

    [Fact]
    public async Task Reused_statement_follows_a_recreated_table_with_other_types()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, s TEXT)");
        Insert(db, 1, 10);

        using var connection = db.Open();
        using (var first = Command(connection, Select))
        {
            AssertRows(first, 10);
        }

        db.Execute("DROP TABLE t");
        db.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v REAL, s BLOB)");
        db.Execute("INSERT INTO t VALUES (1, 1.5, x'0102'), (2, NULL, x'')");

        using var command = Command(connection, Select);
        using var reader = command.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        Assert.True(reader.Read());
        Assert.Equal(1L, reader.GetValue(0));
        Assert.Equal(1.5, reader.GetValue(1));
        Assert.Equal(new byte[] { 1, 2 }, reader.GetValue(2));
        Assert.True(reader.Read());
        Assert.Equal(DBNull.Value, reader.GetValue(1));
        Assert.Equal(Array.Empty<byte>(), reader.GetValue(2));
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task Reused_statement_follows_an_added_column()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, s TEXT)");
        Insert(db, 1, 5);

        using var connection = db.Open();
        using (var first = Command(connection, "SELECT * FROM t ORDER BY id"))
        using (var reader = first.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
            Assert.Equal(3, reader.FieldCount);
        }

        db.Execute("ALTER TABLE t ADD COLUMN extra TEXT");
        db.Execute("UPDATE t SET extra = 'x' || id");
        Insert(db, 6, 3000, extra: true);

        using var command = Command(connection, "SELECT * FROM t ORDER BY id");
        using var after = command.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, after.Route);
        Assert.Equal(4, after.FieldCount);
        Assert.Equal("extra", after.GetName(3));
        long expected = 1;
        while (after.Read())
        {
            Assert.Equal(expected, after.GetInt64(0));
            Assert.Equal("x" + expected, after.GetString(3));
            expected++;
        }

        Assert.Equal(3001, expected);
    }

    [Fact]
    public async Task Reused_statement_returns_every_storage_class_after_growth()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE a(id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n INT)");
        InsertAll(db, 1, 10);

        using var connection = db.Open();
        const string sql = "SELECT id, i, r, t, b, n FROM a ORDER BY id";
        using (var first = Command(connection, sql))
        {
            AssertAll(first, 10);
        }

        InsertAll(db, 11, 5000);
        using var command = Command(connection, sql);
        AssertAll(command, 5000);
    }

    [Fact]
    public void Cached_statement_is_prepared_again_after_a_write_on_another_session()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using var writer = database.Connect();
        using var cache = new OlapSession(database.Connect());
        writer.Execute("CREATE TABLE t(id BIGINT PRIMARY KEY, v BIGINT, s VARCHAR); INSERT INTO t SELECT i, i * 3, 's' || i FROM range(1, 1001) r(i)");

        DuckDbPreparedStatement first = cache.Prepare(Select);
        using (DuckDbResultReader result = first.Execute())
        {
            Assert.Equal(1000, CountCorrectRows(result));
        }

        Assert.Same(first, cache.Prepare(Select));

        using (DuckDbAppender appender = writer.CreateAppender("t"))
        {
            for (long i = 1001; i <= 70000; i++)
            {
                appender.Append(i);
                appender.Append(i * 3);
                appender.Append("s" + i);
                appender.EndRow();
            }

            appender.Close();
        }

        DuckDbPreparedStatement second = cache.Prepare(Select);
        Assert.NotSame(first, second);
        using (DuckDbResultReader result = second.Execute())
        {
            Assert.Equal(70000, CountCorrectRows(result));
        }

        writer.ExecuteNonQuery("DELETE FROM t WHERE id > $1", [3000L]);
        using (DuckDbResultReader result = cache.Prepare(Select).Execute())
        {
            Assert.Equal(3000, CountCorrectRows(result));
        }
    }

    [Fact]
    public void Reads_do_not_invalidate_cached_statements()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using var cache = new OlapSession(database.Connect());
        cache.Session.Execute("CREATE TABLE t(id BIGINT, v BIGINT, s VARCHAR)");

        DuckDbPreparedStatement first = cache.Prepare(Select);
        first.Execute().Dispose();
        cache.Prepare("SELECT count(*) FROM t").Execute().Dispose();

        Assert.Same(first, cache.Prepare(Select));
    }

    private static int CountCorrectRows(DuckDbResultReader result)
    {
        int rows = 0;
        while (result.Read())
        {
            rows++;
            Assert.Equal(rows, result.GetInt64(0));
            Assert.Equal(rows * 3L, result.GetInt64(1));
            Assert.Equal("s" + rows, result.GetString(2));
        }

        return rows;
    }

    private static RheiCommand Command(RheiConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Route = RheiRoute.Olap;
        return command;
    }

    private static void Insert(TestDatabase db, int from, int to, bool extra = false)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = extra
            ? "INSERT INTO t(id, v, s, extra) VALUES ($id, $id * 3, 's' || $id, 'x' || $id)"
            : "INSERT INTO t(id, v, s) VALUES ($id, $id * 3, 's' || $id)";
        var id = command.CreateParameter();
        id.ParameterName = "$id";
        command.Parameters.Add(id);
        for (var i = from; i <= to; i++)
        {
            id.Value = i;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void InsertAll(TestDatabase db, int from, int to)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO a VALUES ($id, $i, $r, $t, $b, $n)";
        var id = command.Parameters.AddWithValue("$id", 0L);
        var i = command.Parameters.AddWithValue("$i", 0L);
        var r = command.Parameters.AddWithValue("$r", 0.0);
        var t = command.Parameters.AddWithValue("$t", string.Empty);
        var b = command.Parameters.AddWithValue("$b", Array.Empty<byte>());
        var n = command.Parameters.AddWithValue("$n", 0L);
        for (long row = from; row <= to; row++)
        {
            id.Value = row;
            i.Value = row % 7 == 0 ? DBNull.Value : row * 11;
            r.Value = row / 4.0;
            t.Value = "text " + row;
            b.Value = BitConverter.GetBytes(row);
            n.Value = row % 3;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static void AssertRows(RheiCommand command, int count)
    {
        using var reader = command.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        long expected = 1;
        while (reader.Read())
        {
            Assert.Equal(expected, reader.GetValue(0));
            Assert.Equal(expected * 3, reader.GetValue(1));
            Assert.Equal("s" + expected, reader.GetValue(2));
            expected++;
        }

        Assert.Equal(count + 1, expected);
    }

    private static void AssertAll(RheiCommand command, int count)
    {
        using var reader = command.ExecuteReader();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        long expected = 1;
        while (reader.Read())
        {
            Assert.Equal(expected, reader.GetValue(0));
            Assert.Equal(expected % 7 == 0 ? (object)DBNull.Value : expected * 11, reader.GetValue(1));
            Assert.Equal(expected / 4.0, reader.GetValue(2));
            Assert.Equal("text " + expected, reader.GetValue(3));
            Assert.Equal(BitConverter.GetBytes(expected), reader.GetValue(4));
            Assert.Equal(expected % 3, reader.GetValue(5));
            expected++;
        }

        Assert.Equal(count + 1, expected);
    }
}
