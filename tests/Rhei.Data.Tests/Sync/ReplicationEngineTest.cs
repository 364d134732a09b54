using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>Behaviour beyond rhei's tests: compaction, keys, exactly-once, consumers, quarantine, bulk load, DDL.</summary>
public sealed class ReplicationEngineTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task Sync_compacts_changes_to_one_row()
    {
        await using var h = await StartAsync(replicate: new HashSet<string> { "t" });
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 'a')");
        h.Exec("UPDATE t SET v = 'b' WHERE id = 1");
        h.Exec("UPDATE t SET v = 'c' WHERE id = 1");
        h.Exec("INSERT INTO t VALUES (2, 'x')");
        h.Exec("DELETE FROM t WHERE id = 2");

        var result = await h.Engine.SyncAsync(s_ct);
        Assert.Equal(5, result.EventsProcessed);
        Assert.Equal(1, result.RowsInserted);
        Assert.Equal(0, result.RowsUpdated);
        Assert.Equal(0, result.RowsDeleted);
        var row = Assert.Single(h.Olap("SELECT id, v FROM t"));
        Assert.Equal([1L, "c"], row);
    }

    [Fact]
    public async Task Composite_and_text_keys_replicate_with_key_changes()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE c (a TEXT, b INTEGER, v REAL, PRIMARY KEY (a, b)) WITHOUT ROWID");
        h.Exec("CREATE TABLE g (id TEXT PRIMARY KEY, payload BLOB)");
        await h.Engine.RegisterTableAsync("c", s_ct);
        await h.Engine.RegisterTableAsync("g", s_ct);
        h.Exec("INSERT INTO c VALUES ('x', 1, 1.5), ('x', 2, 2.5), ('y', 1, 3.5)");
        h.Exec("INSERT INTO g VALUES ('3f2504e0-4f89-11d3-9a0c-0305e82c3301', x'0102')");
        await h.Engine.SyncAsync(s_ct);
        h.Exec("UPDATE c SET b = 3 WHERE a = 'x' AND b = 2");
        h.Exec("DELETE FROM c WHERE a = 'y'");
        h.Exec("UPDATE g SET payload = x'FF' WHERE id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301'");
        await h.Engine.SyncAsync(s_ct);

        var rows = h.Olap("SELECT a, b, v FROM c ORDER BY a, b");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["x", 1L, 1.5], rows[0]);
        Assert.Equal(["x", 3L, 2.5], rows[1]);
        Assert.Equal(new byte[] { 0xFF }, Assert.Single(h.Olap("SELECT payload FROM g"))[0]);
    }

    [Fact]
    public async Task Sequence_never_goes_back_after_prune_to_empty()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1), (2, 2)");
        await h.Engine.SyncAsync(s_ct);
        // Drained: only the last event stays, and it carries the numbering on.
        Assert.Equal(1, h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log"));
        var watermark = h.Engine.Watermark;
        Assert.Equal(watermark, h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"));

        h.Exec("INSERT INTO t VALUES (3, 3)");
        Assert.Equal(watermark + 1, h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"));
        Assert.Equal(1, h.SqliteScalar($"SELECT count(*) FROM _rhei_cdc_log WHERE seq > {watermark}"));
        Assert.Equal(1, (await h.Engine.SyncAsync(s_ct)).RowsInserted);
        Assert.Equal(3, h.OlapCount("t"));
    }

    [Fact]
    public async Task Temporal_images_keep_every_value_exactly()
    {
        // The row image is read from UTF-8 bytes without a JsonDocument: blobs, escaped text, integer
        // extremes and reals (written with a fraction or exponent) must come out as SQLite holds them.
        await using var h = new ReplicationHarness();
        await h.OpenEngineAsync(RheiSyncMode.Temporal, new HashSet<string> { "t" });
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, n INTEGER, r REAL, b BLOB)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 'a\"b\\c' || char(10) || 'é€😀', 9223372036854775807, 3.0, X'00FF10')");
        h.Exec("INSERT INTO t VALUES (2, '', -9223372036854775808, 1e300, X'')");
        h.Exec("INSERT INTO t VALUES (3, NULL, 0, -2.5e-7, NULL)");
        await h.Engine.SyncAsync(s_ct);

        var rows = h.Olap("SELECT id, s, n, r, b FROM t ORDER BY id");
        Assert.Equal("a\"b\\c\né€😀", rows[0][1]);
        Assert.Equal(long.MaxValue, rows[0][2]);
        Assert.Equal(3.0, rows[0][3]);
        Assert.Equal(new byte[] { 0x00, 0xFF, 0x10 }, rows[0][4]);
        Assert.Equal("", rows[1][1]);
        Assert.Equal(long.MinValue, rows[1][2]);
        Assert.Equal(1e300, rows[1][3]);
        Assert.Equal(Array.Empty<byte>(), rows[1][4]);
        Assert.Null(rows[2][1]);
        Assert.Equal(0L, rows[2][2]);
        Assert.Equal(-2.5e-7, rows[2][3]);
        Assert.Null(rows[2][4]);
    }

    [Fact]
    public async Task Temporal_batch_chains_several_versions_of_a_key()
    {
        // Versions of one key inside one batch are chained by index: each closes where the next begins,
        // a delete leaves no version, and keys interleaved with others keep their own chains.
        await using var h = new ReplicationHarness();
        await h.OpenEngineAsync(RheiSyncMode.Temporal, new HashSet<string> { "t" });
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 10)");
        await h.Engine.SyncAsync(s_ct);
        h.Exec("UPDATE t SET v = 11 WHERE id = 1");
        h.Exec("INSERT INTO t VALUES (2, 20)");
        h.Exec("UPDATE t SET v = 12 WHERE id = 1");
        h.Exec("DELETE FROM t WHERE id = 2");
        h.Exec("UPDATE t SET v = 13 WHERE id = 1");
        await h.Engine.SyncAsync(s_ct);

        Assert.Equal([10L, 11L, 12L, 13L], h.Olap("SELECT v FROM t WHERE id = 1 ORDER BY v").Select(r => r[0]).ToArray());
        Assert.Equal(1L, h.Olap("SELECT count(*) FROM t WHERE id = 1 AND _rhei_valid_to IS NULL")[0][0]);
        Assert.Equal(13L, h.Olap("SELECT v FROM t WHERE id = 1 AND _rhei_valid_to IS NULL")[0][0]);
        Assert.Equal(0L, h.Olap("SELECT count(*) FROM t WHERE _rhei_valid_to < _rhei_valid_from")[0][0]);
        Assert.Equal(1L, h.Olap("SELECT count(*) FROM t WHERE id = 2")[0][0]);
        Assert.Equal(0L, h.Olap("SELECT count(*) FROM t WHERE id = 2 AND _rhei_valid_to IS NULL")[0][0]);
    }

    [Fact]
    public async Task Durable_mirror_applies_exactly_once_across_crashes()
    {
        await using var h = new ReplicationHarness();
        await h.OpenEngineAsync(RheiSyncMode.Temporal, new HashSet<string> { "t" }, durable: true);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);

        foreach (var step in new[] { "after-apply", "before-prune" })
        {
            h.Exec("INSERT INTO t (v) VALUES (1)");
            h.Engine.FaultInjector = s =>
            {
                if (s == step)
                {
                    throw new IOException("simulated crash at " + s);
                }
            };
            await Assert.ThrowsAsync<IOException>(() => h.Engine.SyncAsync(s_ct));
            await h.CloseEngineAsync();
            h.Exec("INSERT INTO t (v) VALUES (2)");
            await h.OpenEngineAsync(RheiSyncMode.Temporal, new HashSet<string> { "t" }, durable: true);
            await h.Engine.SyncAsync(s_ct);
        }

        // Four inserts, each one version: none repeated, none skipped.
        Assert.Equal(4, h.OlapCount("t"));
        Assert.Equal(4L, h.Olap("SELECT count(DISTINCT id) FROM t")[0][0]);
        Assert.Equal(h.SqliteScalar("SELECT sum(v) FROM t"), Convert.ToInt64(h.Olap("SELECT sum(v) FROM t")[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Two_engines_prune_no_further_than_the_slower_one()
    {
        await using var h = new ReplicationHarness();
        var fast = await h.OpenEngineAsync(replicate: new HashSet<string> { "t" });
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await fast.RegisterTableAsync("t", s_ct);
        var slow = await h.OpenEngineAsync(replicate: new HashSet<string> { "t" });
        Assert.True(slow.IsReplicated("t"));

        h.Exec("INSERT INTO t VALUES (1, 1), (2, 2)");
        Assert.Equal(0, (await fast.SyncAsync(s_ct)).EventsPruned);
        Assert.Equal(2, h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log"));

        // A drained log keeps its last event (CdcLogPruner).
        Assert.Equal(1, (await slow.SyncAsync(s_ct)).EventsPruned);
        Assert.Equal(1, h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log"));

        // A consumer silent past the timeout stops holding the log back.
        h.Exec("INSERT INTO t VALUES (3, 3)");
        fast.ConsumerTimeout = TimeSpan.FromMilliseconds(50);
        await Task.Delay(120);
        Assert.Equal(1, (await fast.SyncAsync(s_ct)).EventsPruned);
        await slow.SyncAsync(s_ct);
        Assert.Equal(3, h.OlapCount("t"));
    }

    [Fact]
    public async Task Misfit_value_quarantines_table_and_resync_recovers()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE bad (id INTEGER PRIMARY KEY, n INTEGER)");
        h.Exec("CREATE TABLE good (id INTEGER PRIMARY KEY, n INTEGER)");
        await h.Engine.RegisterTableAsync("bad", s_ct);
        await h.Engine.RegisterTableAsync("good", s_ct);
        h.Exec("INSERT INTO bad VALUES (1, 1), (2, 'abc')");
        h.Exec("INSERT INTO good VALUES (1, 1)");

        await h.Engine.SyncAsync(s_ct);
        Assert.True(h.Engine.IsQuarantined("bad"));
        Assert.False(h.Engine.IsQuarantined("good"));
        Assert.Equal(1, h.OlapCount("good"));
        var status = (await h.Engine.GetStatusAsync(s_ct)).Tables.Single(t => t.Table == "bad");
        Assert.Equal(RheiTableSyncState.Quarantined, status.State);
        Assert.Equal("(2)", status.OffendingKey);
        Assert.Contains("'n'", status.QuarantineReason, StringComparison.Ordinal);

        h.Exec("INSERT INTO good VALUES (2, 2)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(2, h.OlapCount("good"));

        h.Exec("UPDATE bad SET n = 2 WHERE id = 2");
        Assert.Equal(2, await h.Engine.InitialSyncAsync("bad", null, s_ct));
        Assert.False(h.Engine.IsQuarantined("bad"));
        h.Exec("INSERT INTO bad VALUES (3, 3)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(3, h.OlapCount("bad"));
    }

    [Fact]
    public async Task InitialSync_streams_100k_rows_with_progress()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE big (id INTEGER PRIMARY KEY, name TEXT, score REAL)");
        h.Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) INSERT INTO big SELECT i, 'name' || i, i * 0.5 FROM n");
        await h.Engine.RegisterTableAsync(new RheiTableSchema("big", [new RheiColumn("id", "INTEGER", false), new RheiColumn("name", "TEXT"), new RheiColumn("score", "REAL")], ["id"]), s_ct);
        var reports = new List<long>();
        var progress = new SynchronousProgress(reports.Add);

        Assert.Equal(100_000, await h.Engine.InitialSyncAsync("big", progress, s_ct));
        Assert.Equal(100_000, h.OlapCount("big"));
        Assert.True(reports.Count >= 2);
        Assert.Equal(100_000, reports[^1]);
        Assert.Equal(h.SqliteScalar("SELECT sum(id) FROM big"), Convert.ToInt64(h.Olap("SELECT sum(id) FROM big")[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Start_registers_tables_with_a_key_and_rebuilds_in_memory_mirror()
    {
        await using var h = new ReplicationHarness();
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)");
        h.Exec("CREATE TABLE nokey (v TEXT)");
        h.Exec("CREATE TABLE __EFMigrationsHistory (MigrationId TEXT PRIMARY KEY)");
        h.Exec("INSERT INTO a VALUES (1, 'x')");
        var all = h.Options(replicate: AllTables);
        await h.OpenEngineAsync(replicate: AllTables);
        Assert.Null(all.ReplicatedTables);
        Assert.True(h.Engine.IsReplicated("a"));
        Assert.False(h.Engine.IsReplicated("nokey"));
        Assert.False(h.Engine.IsReplicated("__EFMigrationsHistory"));
        Assert.Equal(1, h.OlapCount("a"));
        await h.CloseEngineAsync();

        h.Exec("INSERT INTO a VALUES (2, 'y')");
        await h.OpenEngineAsync(replicate: AllTables);
        Assert.Equal(2, h.OlapCount("a"));
        await h.Engine.EnsureFreshAsync(s_ct);
        h.Exec("INSERT INTO a VALUES (3, 'z')");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => h.Engine.EnsureFreshAsync(s_ct)));
        Assert.Equal(3, h.OlapCount("a"));
    }

    [Fact]
    public async Task SchemaChange_scope_reconciles_created_altered_renamed_and_dropped_tables()
    {
        await using var h = new ReplicationHarness();
        await h.OpenEngineAsync(RheiSyncMode.Temporal, replicate: AllTables);
        var engine = h.Engine;

        await using (await engine.BeginSchemaChangeAsync("t", s_ct))
        {
            h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER)");
        }

        Assert.True(engine.IsReplicated("t"));
        Assert.True(engine.IsTemporal("t"));
        h.Exec("INSERT INTO t VALUES (1, 'x', 1)");

        await using (await engine.BeginSchemaChangeAsync("t", s_ct))
        {
            h.Exec("ALTER TABLE t DROP COLUMN b");
            h.Exec("ALTER TABLE t ADD COLUMN c REAL DEFAULT 2.5");
        }

        h.Exec("INSERT INTO t VALUES (2, 'y', 3.5)");
        await engine.SyncAsync(s_ct);
        Assert.Equal(["id", "a", "c", "_rhei_valid_from", "_rhei_valid_to", "_rhei_operation"], h.OlapColumns("t"));
        Assert.Equal(6.0, h.Olap("SELECT sum(c) FROM t WHERE _rhei_valid_to IS NULL")[0][0]);

        await using (await engine.BeginSchemaChangeAsync("t", s_ct))
        {
            h.Exec("ALTER TABLE t RENAME TO u");
        }

        Assert.False(engine.IsReplicated("t"));
        Assert.True(engine.IsReplicated("u"));
        h.Exec("INSERT INTO u VALUES (3, 'z', 1.0)");
        await engine.SyncAsync(s_ct);
        Assert.Equal(3L, h.Olap("SELECT count(*) FROM u WHERE _rhei_valid_to IS NULL")[0][0]);

        await using (await engine.BeginSchemaChangeAsync("u", s_ct))
        {
            h.Exec("DROP TABLE u");
        }

        Assert.False(engine.IsReplicated("u"));
        Assert.Empty(h.Olap("SELECT table_name FROM information_schema.tables WHERE table_name IN ('t', 'u')"));
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
