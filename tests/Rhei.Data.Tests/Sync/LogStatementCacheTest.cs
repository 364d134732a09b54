using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using Rhei.Data.Sync;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// The change-log reader keeps its statements prepared between reads: reused statements read the right rows, and a
/// table's new shape (a column added, the table re-created with other columns) or a table added to or removed from
/// replication is picked up.
/// </summary>
public sealed class LogStatementCacheTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task Kept_statements_read_the_right_rows_across_many_reads_without_preparing_again()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER)");
        h.Exec("CREATE TABLE b (name TEXT, n INTEGER, v TEXT, PRIMARY KEY (name, n)) WITHOUT ROWID");
        await h.Engine.RegisterTableAsync("a", s_ct);
        await h.Engine.RegisterTableAsync("b", s_ct);
        var a = new TableSchema(new RheiTableSchema("a", [new RheiColumn("id", "INTEGER", false), new RheiColumn("v", "INTEGER")], ["id"]));
        var b = new TableSchema(new RheiTableSchema("b", [new RheiColumn("name", "TEXT", false), new RheiColumn("n", "INTEGER", false), new RheiColumn("v", "TEXT")], ["name", "n"]));
        TableSchema? Resolve(string table) => string.Equals(table, "a", StringComparison.OrdinalIgnoreCase) ? a : string.Equals(table, "b", StringComparison.OrdinalIgnoreCase) ? b : null;

        using var connection = h.OpenSqlite();
        using var statements = new CdcLogStatements(connection);
        var watermark = h.SqliteScalar("SELECT coalesce(max(seq), 0) FROM _rhei_cdc_log");
        var prepared = 0;
        for (var i = 1; i <= 40; i++)
        {
            // a's rows are read with the log; b, second in the batch, by the read after it.
            h.Exec("INSERT INTO a VALUES ($p1, $p1)", i);
            h.Exec("INSERT INTO b VALUES ('k', $p1, 'x')", i);
            if (i > 1)
            {
                h.Exec("UPDATE a SET v = -v WHERE id = $p1", i - 1);
                h.Exec("DELETE FROM b WHERE n = $p1", i - 1);
            }

            var batch = CdcLogReader.Read(statements, watermark, 1000, Resolve, _ => 0, RheiSyncMode.Destructive);
            try
            {
                Assert.Equal(i > 1 ? 4 : 2, batch.EventCount);
                Assert.Equal((1L, i > 1 ? 1L : 0L, 0L), Counts(batch.Tables["a"]));
                Assert.Equal((1L, 0L, i > 1 ? 1L : 0L), Counts(batch.Tables["b"]));
                watermark = batch.ToInclusive;
            }
            finally
            {
                foreach (var changes in batch.Tables.Values)
                {
                    changes.Dispose();
                }
            }

            if (i == 1)
            {
                prepared = statements.Prepared;
            }
        }

        Assert.Equal(prepared, statements.Prepared);

        // A batch with nothing in it reads nothing, on the same statements.
        var empty = CdcLogReader.Read(statements, watermark, 1000, Resolve, _ => 0, RheiSyncMode.Destructive);
        Assert.Equal(0, empty.EventCount);
    }

    [Fact]
    public async Task One_row_syncs_in_a_row_keep_the_mirror_equal_to_sqlite()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("a", s_ct);
        for (var i = 1; i <= 30; i++)
        {
            h.Exec((i % 3) switch
            {
                1 => "INSERT INTO a VALUES ($p1, 'new')",
                2 => "UPDATE a SET v = 'changed' WHERE id = $p1 - 1",
                _ => "DELETE FROM a WHERE id = $p1 - 2",
            }, i);
            await h.Engine.SyncAsync(s_ct);
            Assert.Equal(Sqlite(h, "SELECT id, v FROM a ORDER BY id"), h.Olap("SELECT id, v FROM a ORDER BY id").Select(Row));
        }
    }

    [Fact]
    public async Task After_a_column_is_added_the_reader_returns_rows_with_it()
    {
        await using var h = await StartWithReadStatementsAsync();

        await using (await h.Engine.BeginSchemaChangeAsync("a", s_ct))
        {
            h.Exec("ALTER TABLE a ADD COLUMN c TEXT DEFAULT 'd'");
        }

        h.Exec("INSERT INTO a VALUES (2, 20, 'two')");
        await h.Engine.SyncAsync(s_ct);
        h.Exec("UPDATE a SET c = 'one' WHERE id = 1");
        await h.Engine.SyncAsync(s_ct);

        Assert.Equal(["id", "v", "c"], h.OlapColumns("a"));
        Assert.Equal(["1|2|one", "2|20|two"], h.Olap("SELECT id, v, c FROM a ORDER BY id").Select(Row));
    }

    [Fact]
    public async Task After_a_table_is_dropped_and_created_again_with_other_columns_the_reader_returns_the_new_shape()
    {
        await using var h = await StartWithReadStatementsAsync();

        await using (await h.Engine.BeginSchemaChangeAsync("a", s_ct))
        {
            h.Exec("DROP TABLE a");
        }

        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, w TEXT, z REAL)");
        await h.Engine.RegisterTableAsync("a", s_ct);
        h.Exec("INSERT INTO a VALUES (7, 'seven', 7.5)");
        await h.Engine.SyncAsync(s_ct);
        h.Exec("UPDATE a SET w = 'SEVEN' WHERE id = 7");
        h.Exec("INSERT INTO a VALUES (8, 'eight', 8.5)");
        await h.Engine.SyncAsync(s_ct);

        Assert.Equal(["id", "w", "z"], h.OlapColumns("a"));
        Assert.Equal(["7|SEVEN|7.5", "8|eight|8.5"], h.Olap("SELECT id, w, z FROM a ORDER BY id").Select(Row));
    }

    [Fact]
    public async Task A_table_added_to_or_removed_from_replication_is_picked_up_by_the_reader()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER)");
        h.Exec("CREATE TABLE b (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("a", s_ct);
        h.Exec("INSERT INTO a VALUES (1, 1)");
        await h.Engine.SyncAsync(s_ct);

        await h.Engine.RegisterTableAsync("b", s_ct);
        h.Exec("INSERT INTO b VALUES (1, 10)");
        h.Exec("INSERT INTO a VALUES (2, 2)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(["1|10"], h.Olap("SELECT id, v FROM b ORDER BY id").Select(Row));
        Assert.Equal(["1|1", "2|2"], h.Olap("SELECT id, v FROM a ORDER BY id").Select(Row));

        // a goes; the next batch starts with b, then a's writes (no longer captured) and b's again.
        await h.Engine.UnregisterTableAsync("a", s_ct);
        Assert.False(h.Engine.IsReplicated("a"));
        h.Exec("INSERT INTO b VALUES (2, 20)");
        h.Exec("INSERT INTO a VALUES (3, 3)");
        h.Exec("UPDATE b SET v = 11 WHERE id = 1");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(["1|11", "2|20"], h.Olap("SELECT id, v FROM b ORDER BY id").Select(Row));

        // a comes back: loaded in full, then followed again.
        await h.Engine.RegisterTableAsync("a", s_ct);
        h.Exec("UPDATE a SET v = 30 WHERE id = 3");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(["1|1", "2|2", "3|30"], h.Olap("SELECT id, v FROM a ORDER BY id").Select(Row));
    }

    private static (long Inserted, long Updated, long Deleted) Counts(TableChanges changes) => (changes.Inserted, changes.Updated, changes.Deleted);

    private static string Row(object?[] row) => string.Join("|", row.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));

    private static List<string> Sqlite(ReplicationHarness h, string sql)
    {
        using var connection = h.OpenSqlite();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var values = new object?[reader.FieldCount];
            reader.GetValues(values!);
            rows.Add(Row(values));
        }

        return rows;
    }

    /// <summary>A harness whose table <c>a</c> (id, v) was read by the log reader twice: an insert, then an update, so its statements are cached.</summary>
    private static async Task<ReplicationHarness> StartWithReadStatementsAsync()
    {
        var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("a", s_ct);
        h.Exec("INSERT INTO a VALUES (1, 1)");
        await h.Engine.SyncAsync(s_ct);
        h.Exec("UPDATE a SET v = 2 WHERE id = 1");
        await h.Engine.SyncAsync(s_ct);
        return h;
    }
}
