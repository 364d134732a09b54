using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// The apply path of round three: the batch's first table is read with the log in one statement, the others after it;
/// the DuckDB DELETE and the temporal UPDATE carry the staged keys' range; a drained log is emptied in one step.
/// </summary>
public sealed class ApplyJoinedReadTest
{
    [Fact]
    public async Task Interleaved_tables_in_one_batch_apply_exactly_whichever_is_read_with_the_log()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER)");
        h.Exec("CREATE TABLE b (name TEXT COLLATE NOCASE, n INTEGER, v TEXT, PRIMARY KEY (name, n)) WITHOUT ROWID");
        await h.Engine.RegisterTableAsync("a", CancellationToken.None);
        await h.Engine.RegisterTableAsync("b", CancellationToken.None);
        h.Exec("INSERT INTO a VALUES (1, 1), (2, 2), (3, 3)");
        h.Exec("INSERT INTO b VALUES ('x', 1, 'one'), ('y', 2, 'two')");
        await h.Engine.SyncAsync(CancellationToken.None);

        // a first (joined in the log read), b interleaved (read after it), repeats, deletes, a re-insert.
        h.Exec("UPDATE a SET v = 10 WHERE id = 1");
        h.Exec("UPDATE b SET v = 'uno' WHERE name = 'x'");
        h.Exec("DELETE FROM a WHERE id = 2");
        h.Exec("INSERT INTO b VALUES ('z', 3, 'three')");
        h.Exec("UPDATE a SET v = 11 WHERE id = 1");
        h.Exec("DELETE FROM b WHERE name = 'y'");
        h.Exec("INSERT INTO a VALUES (4, 4)");
        h.Exec("DELETE FROM a WHERE id = 4");
        h.Exec("INSERT INTO a VALUES (2, 20)");
        var result = await h.Engine.SyncAsync(CancellationToken.None);

        Assert.Equal(9, result.EventsProcessed);
        Assert.Equal(["1=11", "2=20", "3=3"], h.Olap("SELECT id, v FROM a ORDER BY id").Select(r => $"{r[0]}={r[1]}"));
        Assert.Equal(["x/1=uno", "z/3=three"], h.Olap("SELECT name, n, v FROM b ORDER BY name").Select(r => $"{r[0]}/{r[1]}={r[2]}"));

        // Now b comes first: its composite, collated key is the one joined in the log read.
        h.Exec("UPDATE b SET v = 'eins' WHERE name = 'X'");
        h.Exec("UPDATE a SET v = 30 WHERE id = 3");
        h.Exec("DELETE FROM b WHERE name = 'z'");
        await h.Engine.SyncAsync(CancellationToken.None);

        Assert.Equal(["x/1=eins"], h.Olap("SELECT name, n, v FROM b ORDER BY name").Select(r => $"{r[0]}/{r[1]}={r[2]}"));
        Assert.Equal(["1=11", "2=20", "3=30"], h.Olap("SELECT id, v FROM a ORDER BY id").Select(r => $"{r[0]}={r[1]}"));
    }

    [Fact]
    public async Task A_misfit_row_in_the_table_read_with_the_log_quarantines_it_and_the_other_table_still_applies()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER)");
        h.Exec("CREATE TABLE b (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("a", CancellationToken.None);
        await h.Engine.RegisterTableAsync("b", CancellationToken.None);
        await h.Engine.SyncAsync(CancellationToken.None);

        h.Exec("INSERT INTO a VALUES (1, 'not a number')");
        h.Exec("INSERT INTO b VALUES (1, 1)");
        await h.Engine.SyncAsync(CancellationToken.None);

        Assert.True(h.Engine.IsQuarantined("a"));
        Assert.False(h.Engine.IsQuarantined("b"));
        Assert.Equal(1, h.OlapCount("b"));
    }

    [Fact]
    public async Task A_drained_log_is_emptied_and_numbering_goes_on_after_it()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("a", CancellationToken.None);
        h.Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO a SELECT i, i FROM n");
        var last = h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log");

        var result = await h.Engine.SyncAsync(CancellationToken.None);

        // The last event stays: SQLite numbers the next row after it.
        Assert.Equal(499, result.EventsPruned);
        Assert.Equal(last, h.SqliteScalar("SELECT seq FROM _rhei_cdc_log"));
        Assert.Equal(last - 1, h.SqliteScalar("SELECT value FROM _rhei_meta WHERE key = 'pruned_through'"));
        h.Exec("INSERT INTO a VALUES (501, 501)");
        Assert.Equal(last + 1, h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"));
        await h.Engine.SyncAsync(CancellationToken.None);
        Assert.Equal(501, h.OlapCount("a"));
    }

    [Fact]
    public void Prune_short_of_the_log_end_keeps_the_later_events()
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        ReplicationTables.Create(connection);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"INSERT INTO {ReplicationTables.CdcLog} (tbl, op, k0) SELECT 't', 'I', value FROM json_each('[1,2,3,4,5]')";
            command.ExecuteNonQuery();
        }

        Assert.Equal(3, CdcLogPruner.Prune(connection, 3, TimeSpan.FromMinutes(1)));
        // Drained: the last event stays.
        Assert.Equal(1, CdcLogPruner.Prune(connection, 9, TimeSpan.FromMinutes(1)));
        Assert.Equal(0, CdcLogPruner.Prune(connection, 9, TimeSpan.FromMinutes(1)));
        Assert.Equal(5, ReplicationTables.MaxSequence(connection));
    }

    [Fact]
    public void The_staged_range_filters_only_single_integer_keys()
    {
        var integer = Schema("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        var range = new StagedKeyRange(integer);
        range.Add(42L);
        range.Add(-7L);
        range.Add(5L);
        Assert.Equal(" AND t.\"id\" BETWEEN -7 AND 42", range.Filter("t"));

        var mixed = new StagedKeyRange(integer);
        mixed.Add(1L);
        mixed.Add("1");
        Assert.Equal(string.Empty, mixed.Filter("t"));

        var empty = new StagedKeyRange(integer);
        Assert.Equal(string.Empty, empty.Filter("t"));

        var text = new StagedKeyRange(Schema("CREATE TABLE t (name TEXT PRIMARY KEY, v TEXT)"));
        text.Add("a");
        Assert.Equal(string.Empty, text.Filter("t"));
    }

    [Fact]
    public async Task Temporal_versions_of_integer_keys_chain_across_and_within_batches()
    {
        await using var h = await StartAsync(RheiSyncMode.Temporal, batchSize: 4);
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("a", CancellationToken.None);
        h.Exec("INSERT INTO a VALUES (1, 1), (2, 2), (100, 100)");
        h.Exec("UPDATE a SET v = 10 WHERE id = 1");
        h.Exec("UPDATE a SET v = 11 WHERE id = 1");
        h.Exec("DELETE FROM a WHERE id = 2");
        h.Exec("UPDATE a SET v = 101 WHERE id = 100");
        await h.Engine.SyncAsync(CancellationToken.None);

        var history = h.Olap("SELECT id, v, _rhei_operation, _rhei_valid_to IS NULL FROM a ORDER BY id, _rhei_valid_from, v")
            .Select(r => $"{r[0]}={r[1]}{r[2]}{(Convert.ToInt64(r[3], System.Globalization.CultureInfo.InvariantCulture) == 1 ? "*" : string.Empty)}");
        Assert.Equal(["1=1I", "1=10U", "1=11U*", "2=2I", "100=100I", "100=101U*"], history);
    }

    private static TableSchema Schema(string ddl)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = ddl;
            command.ExecuteNonQuery();
        }

        return new TableSchema(SqliteSchemaReader.Read(connection, "t")!);
    }
}
