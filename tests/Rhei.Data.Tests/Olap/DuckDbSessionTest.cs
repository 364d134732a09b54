using Rhei.Data.Olap;

namespace Rhei.Data.Tests.Olap;

public class DuckDbSessionTest
{
    [Fact]
    public void Query_reads_bound_parameters_back()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(null);
        using DuckDbSession session = database.Connect();
        using DuckDbResultReader reader = session.Query("SELECT ?::BIGINT AS a, ?::VARCHAR AS b", [42L, "hello"]);

        Assert.Equal(2, reader.FieldCount);
        Assert.Equal("a", reader.GetName(0));
        Assert.Equal("BIGINT", reader.GetColumnType(0).TypeName);
        Assert.True(reader.Read());
        Assert.Equal(42L, reader.GetInt64(0));
        Assert.Equal("hello", reader.GetString(1));
        Assert.False(reader.Read());
    }

    [Fact]
    public void ExecuteNonQuery_returns_rows_changed_of_last_statement()
    {
        using DuckDbDatabase database = DuckDbDatabase.Open(":memory:");
        using DuckDbSession session = database.Connect();
        session.Execute("CREATE TABLE t (i INTEGER); INSERT INTO t VALUES (1), (2), (3);");

        long changed = session.ExecuteNonQuery("INSERT INTO t VALUES (?); UPDATE t SET i = i + ? WHERE i > 1", [4, 10]);

        Assert.Equal(3, changed);
    }
}
