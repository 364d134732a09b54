namespace Rhei.Data.Tests.Sql;

/// <summary>
/// Naming a period column of a temporal table (<c>_rhei_valid_to IS NULL</c>, as rhei's users write) reads the DuckDB
/// history with the period columns visible; where that cannot be, the error says to use FOR SYSTEM_TIME, never
/// SQLite's "no such column" (issue 9, item 6).
/// </summary>
public sealed class PeriodColumnTest
{
    [Fact]
    public void Period_columns_read_the_history_on_duckdb()
    {
        using var db = TestDatabase.Create("Sync Interval=0;Sync Mode=Temporal");
        db.Execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
        db.Execute("INSERT INTO users VALUES (1, 'ann'), (2, 'bob')");
        Sync(db);
        db.Execute("UPDATE users SET name = 'anna' WHERE id = 1");
        Sync(db);
        using var connection = db.Open();

        using var current = new RheiCommand("SELECT name FROM users WHERE id = 1 AND _rhei_valid_to IS NULL", connection);
        Assert.Equal(RheiRoute.Olap, current.ExplainRoute().Target);
        using (var reader = current.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
            Assert.True(reader.Read());
            Assert.Equal("anna", reader.GetString(0));
            Assert.False(reader.Read());
        }

        using var history = new RheiCommand(
            "SELECT name, _rhei_operation, _rhei_valid_to IS NULL FROM users WHERE id = 1 ORDER BY _rhei_valid_from", connection);
        using (var reader = history.ExecuteReader())
        {
            Assert.Equal(RheiRoute.Olap, reader.Route);
            var rows = new List<(string, string, bool)>();
            while (reader.Read())
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
            }

            Assert.Equal([("ann", "I", false), ("anna", "U", true)], rows);
        }
    }

    [Fact]
    public void Period_columns_inside_a_transaction_say_to_use_for_system_time()
    {
        using var db = TestDatabase.Create("Sync Interval=0;Sync Mode=Temporal");
        db.Execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction();
        using var command = new RheiCommand("SELECT name FROM users WHERE _rhei_valid_to IS NULL", connection, transaction);
        var error = Assert.Throws<RheiException>(() => command.ExecuteReader());
        Assert.Contains("FOR SYSTEM_TIME", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no such column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Period_columns_without_temporal_mode_say_to_use_it()
    {
        using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
        using var connection = db.Open();
        using var command = new RheiCommand("SELECT name FROM users WHERE id = 1 AND _rhei_valid_to IS NULL", connection);
        var error = Assert.Throws<RheiException>(() => command.ExecuteScalar());
        Assert.Contains("Sync Mode=Temporal", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no such column", error.Message, StringComparison.Ordinal);
    }

    private static void Sync(TestDatabase db)
    {
        using var connection = db.Open();
        connection.SyncAsync().GetAwaiter().GetResult();
        Thread.Sleep(5);
    }
}
