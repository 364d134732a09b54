using Microsoft.Data.Sqlite;
using Rhei.Data.Oltp;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// Issue 12, the log read: SQLite compiles a statement again whenever a parameter it planned with (a <c>LIMIT ?n</c>)
/// is bound anew, even to the same value, so the reader binds a parameter only when its value changes.
/// </summary>
public sealed class SqliteRowReaderTest : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.Create("Olap=None");
    private readonly SqliteConnection _connection;

    public SqliteRowReaderTest()
    {
        _connection = new SqliteConnection($"Data Source={_db.Path}");
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = "CREATE TABLE n (id INTEGER PRIMARY KEY, name TEXT); "
            + "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 20) INSERT INTO n SELECT i, 'n' || (i % 3) FROM s";
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Binding_the_same_limit_again_reads_the_same_rows_without_compiling_the_statement_again()
    {
        using var reader = new SqliteRowReader(_connection, "SELECT id FROM n WHERE id > ?1 ORDER BY id LIMIT ?2");

        Assert.Equal([1L, 2L, 3L], ReadAll(reader, after: 0, limit: 3));
        var compiled = reader.Recompiles;
        for (var after = 1; after <= 10; after++)
        {
            Assert.Equal([after + 1L, after + 2L, after + 3L], ReadAll(reader, after, limit: 3));
        }

        Assert.Equal(compiled, reader.Recompiles);

        // A new limit is bound, and SQLite plans with it.
        Assert.Equal([6L, 7L, 8L, 9L, 10L], ReadAll(reader, after: 5, limit: 5));
        Assert.Equal([19L, 20L], ReadAll(reader, after: 18, limit: 5));
        Assert.Equal([19L], ReadAll(reader, after: 18, limit: 1));
    }

    [Fact]
    public void A_text_parameter_is_bound_again_only_when_its_value_changes()
    {
        using var reader = new SqliteRowReader(_connection, "SELECT count(*) FROM n WHERE name = ?1");
        foreach (var (name, expected) in new[] { ("n1", 7L), ("n1", 7L), ("n" + "1", 7L), ("n0", 6L), ("n2", 7L), ("x", 0L) })
        {
            reader.Bind(1, name);
            Assert.True(reader.Read());
            Assert.Equal(expected, reader.GetInt64(0));
            reader.Reset();
        }
    }

    private static List<long> ReadAll(SqliteRowReader reader, long after, long limit)
    {
        reader.Bind(1, after);
        reader.Bind(2, limit);
        var ids = new List<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        reader.Reset();
        return ids;
    }

    public void Dispose()
    {
        _connection.Dispose();
        _db.Dispose();
    }
}
