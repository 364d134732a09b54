namespace Rhei.Data.Tests.Robustness;

/// <summary>Issue 9, items 3, 4, 7: answers that were silently wrong, and two engines on one mirror file.</summary>
public sealed class QuarantineAndKeysTest
{
    private static (long Count, long Sum, RheiRoute Route) CountAndSum(RheiConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetInt64(0), reader.GetInt64(1), reader.Route);
    }

    [Theory]
    [InlineData("SELECT count(*), sum(n) FROM q")]
    [InlineData("/*+ rhei:olap */ SELECT count(*), sum(n) FROM q")]
    public async Task Strong_read_that_discovers_a_misfit_answers_from_sqlite_in_the_same_command(string sql)
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        db.Execute("CREATE TABLE q(id INTEGER PRIMARY KEY, n INTEGER)");
        db.Execute("INSERT INTO q VALUES (1, 10), (2, 20)");
        Assert.Equal((2L, 30L, RheiRoute.Olap), CountAndSum(connection, "SELECT count(*), sum(n) FROM q"));

        db.Execute("INSERT INTO q VALUES (3, 'abc'), (4, 40)");
        var (count, sum, route) = CountAndSum(connection, sql);
        Assert.Equal((4L, 70L), (count, sum));
        Assert.Equal(RheiRoute.Oltp, route);

        var status = await connection.GetSyncStatusAsync();
        Assert.Equal(RheiTableSyncState.Quarantined, status.Tables.Single(t => t.Table == "q").State);

        // And the next command is routed to SQLite by the router itself.
        Assert.Equal((4L, 70L, RheiRoute.Oltp), CountAndSum(connection, sql));
    }

    [Fact]
    public async Task Rows_with_a_null_text_primary_key_are_never_dropped()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        db.Execute("CREATE TABLE tn(k TEXT PRIMARY KEY, v INTEGER)");
        db.Execute("INSERT INTO tn VALUES ('a', 5), (NULL, 6), (NULL, 7)");
        Assert.Equal((3L, 18L), Values(CountAndSum(connection, "SELECT count(*), sum(v) FROM tn")));
        Assert.Equal((3L, 18L), Values(CountAndSum(connection, "/*+ rhei:olap */ SELECT count(*), sum(v) FROM tn")));
        var table = (await connection.GetSyncStatusAsync()).Tables.Single(t => t.Table == "tn");
        Assert.Equal(RheiTableSyncState.Quarantined, table.State);
        Assert.Contains("NULL", table.QuarantineReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_with_a_null_key_present_at_registration_quarantine_the_load()
    {
        await using var db = TestDatabase.Create("Sync Interval=0;Replicate=None");
        using var connection = db.Open();
        db.Execute("CREATE TABLE tn(k TEXT PRIMARY KEY, v INTEGER)");
        db.Execute("INSERT INTO tn VALUES ('a', 5), (NULL, 6), (NULL, 7)");
        await connection.RegisterTableAsync("tn");
        Assert.Equal(RheiTableSyncState.Quarantined, (await connection.GetSyncStatusAsync()).Tables.Single().State);
        Assert.Equal((3L, 18L, RheiRoute.Oltp), CountAndSum(connection, "SELECT count(*), sum(v) FROM tn"));

        // Repaired in SQLite, the table is lifted by a resync and reads go to DuckDB again.
        db.Execute("UPDATE tn SET k = 'n' || v WHERE k IS NULL");
        await connection.InitialSyncAsync("tn");
        Assert.Equal((3L, 18L, RheiRoute.Olap), CountAndSum(connection, "SELECT count(*), sum(v) FROM tn"));
    }

    [Fact]
    public async Task Tables_whose_key_cannot_be_null_stay_active()
    {
        await using var db = TestDatabase.Create();
        using var connection = db.Open();
        db.Execute("CREATE TABLE a(k TEXT PRIMARY KEY NOT NULL, v INTEGER)");
        db.Execute("CREATE TABLE b(k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID");
        db.Execute("CREATE TABLE c(k INTEGER PRIMARY KEY, v INTEGER)");
        db.Execute("INSERT INTO a VALUES ('x', 1)");
        db.Execute("INSERT INTO b VALUES ('x', 1)");
        db.Execute("INSERT INTO c VALUES (NULL, 1)");
        Assert.Equal((1L, 1L, RheiRoute.Olap), CountAndSum(connection, "SELECT count(*), sum(v) FROM c"));
        Assert.All((await connection.GetSyncStatusAsync()).Tables, t => Assert.Equal(RheiTableSyncState.Active, t.State));
    }

    [Fact]
    public async Task Key_order_and_spelling_share_one_engine_and_a_second_engine_on_the_file_is_refused()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var sqlite = Path.Combine(directory, "s.db");
        var mirror = Path.Combine(directory, "m.duckdb");
        var first = $"Olap Path={mirror};Data Source={sqlite};Sync Interval=0";
        var second = $"data source={Path.Combine(directory, ".", "s.db")};OLAP PATH={Path.Combine(directory, "sub", "..", "m.duckdb")};sync interval=0";
        try
        {
            using (var a = new RheiConnection(first))
            using (var b = new RheiConnection(second))
            {
                a.Open();
                b.Open();
                using var create = a.CreateCommand();
                create.CommandText = "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t VALUES (1, 1), (2, 2);";
                create.ExecuteNonQuery();
                Assert.Equal((2L, 3L, RheiRoute.Olap), CountAndSum(b, "SELECT count(*), sum(v) FROM t"));
                Assert.Same(a.Engine, b.Engine);
            }

            // Different options on the same mirror file in one process: refused, naming the file.
            await using var other = RheiDataSource.Create($"Data Source={sqlite};Olap Path={mirror};Sync Interval=50");
            var error = Assert.Throws<RheiException>(() => other.OpenConnection());
            Assert.Contains(mirror, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            // The one engine both spellings share, and only it: ClearAllPools would also shut down the shared engines
            // of tests running in parallel (RheiDataAdapterTest's factory connection among them).
            RheiConnection.ClearPool(new RheiConnection(first));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static (long, long) Values((long Count, long Sum, RheiRoute Route) result) => (result.Count, result.Sum);
}
