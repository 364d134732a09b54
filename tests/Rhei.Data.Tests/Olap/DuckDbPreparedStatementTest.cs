using Rhei.Data.Olap;

namespace Rhei.Data.Tests.Olap;

public class DuckDbPreparedStatementTest
{
    [Fact]
    public void GetParameterName_returns_number_or_name()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbPreparedStatement positional = session.Prepare("SELECT ?, ?");
        using DuckDbPreparedStatement named = session.Prepare("SELECT $foo, $bar");

        Assert.Equal(2, positional.ParameterCount);
        Assert.Equal("1", positional.GetParameterName(1));
        Assert.Equal("2", positional.GetParameterName(2));
        Assert.Equal("foo", named.GetParameterName(1));
        Assert.Equal("bar", named.GetParameterName(2));
    }

    [Fact]
    public void Execute_can_be_repeated_with_new_bindings()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (i INTEGER, s VARCHAR)");
        using DuckDbPreparedStatement insert = session.Prepare("INSERT INTO t VALUES (?, ?)");
        for (int i = 0; i < 10; i++)
        {
            insert.Bind(1, i);
            insert.Bind(2, i % 2 == 0 ? $"v{i}" : null);
            Assert.Equal(1, insert.ExecuteNonQuery());
        }

        using DuckDbResultReader reader = session.Query("SELECT sum(i), count(s) FROM t");
        Assert.True(reader.Read());
        Assert.Equal(45L, reader.GetSqliteValue(0));
        Assert.Equal(5L, reader.GetInt64(1));
    }

    [Fact]
    public void Bind_accepts_enum_char_and_memory()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbResultReader reader = session.Query("SELECT ?, ?, ?", [DayOfWeek.Friday, 'x', new ReadOnlyMemory<byte>([1, 2])]);

        Assert.True(reader.Read());
        Assert.Equal(5L, reader.GetSqliteValue(0));
        Assert.Equal("x", reader.GetString(1));
        Assert.Equal(new byte[] { 1, 2 }, reader.GetBytes(2));
    }

    [Fact]
    public void ClearBindings_makes_execute_fail_with_duckdb_message()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbPreparedStatement statement = session.Prepare("SELECT ?::INTEGER");
        statement.Bind(1, 1);
        statement.ClearBindings();

        DuckDbException exception = Assert.Throws<DuckDbException>(() => statement.Execute());
        Assert.Contains("Values were not provided", exception.Message);
    }

    [Fact]
    public void Bind_rejects_out_of_range_index_and_unknown_type()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbPreparedStatement statement = session.Prepare("SELECT ?");

        Assert.Throws<ArgumentOutOfRangeException>(() => statement.Bind(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => statement.Bind(2, 1));
        Assert.Contains("System.Uri", Assert.Throws<NotSupportedException>(() => statement.Bind(1, new Uri("http://x"))).Message);
    }

    [Fact]
    public void Dispose_is_harmless_twice_and_use_after_throws()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        DuckDbPreparedStatement statement = session.Prepare("SELECT ?");
        statement.Dispose();
        statement.Dispose();

        Assert.Throws<ObjectDisposedException>(() => statement.Bind(1, 1));
        Assert.Throws<ObjectDisposedException>(() => statement.Execute());
    }
}
