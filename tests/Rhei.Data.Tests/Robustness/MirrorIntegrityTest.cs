using Rhei.Data.Olap;
using Rhei.Data.Sync;
using Rhei.Data.Tests.Sync;

namespace Rhei.Data.Tests.Robustness;

/// <summary>Issue 9, items 8, 9, 10, 13: a mirror that no longer describes SQLite is noticed and rebuilt.</summary>
public sealed class MirrorIntegrityTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task Starting_engine_holds_the_log_before_its_snapshot_so_a_prune_in_between_loses_nothing()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables);
        var first = h.Engine;
        h.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        await first.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1)");
        await first.SyncAsync(s_ct);

        var options = h.Options(replicate: ReplicationHarness.AllTables);
        using var duck = DuckDbDatabase.Open(null);
        await using var second = new LocalReplicator(options, duck, null);
        second.FaultInjector = point =>
        {
            if (point == "after-snapshot")
            {
                // Another engine commits, syncs and prunes while this one has taken its snapshot but not registered.
                h.Exec("INSERT INTO t VALUES (2, 2)");
                first.SyncAsync(s_ct).GetAwaiter().GetResult();
            }
        };
        await second.StartAsync(s_ct);
        second.FaultInjector = null;
        h.Exec("INSERT INTO t VALUES (3, 3)");
        await second.SyncAsync(s_ct);

        using var session = duck.Connect();
        using var reader = session.Query("SELECT count(*), sum(v) FROM t");
        Assert.True(reader.Read());
        Assert.Equal((3L, 6L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public async Task Restored_older_sqlite_file_is_detected_at_start_and_the_mirror_rebuilt()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables, durable: true);
        h.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1)");
        await h.Engine.SyncAsync(s_ct);
        await h.CloseEngineAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Copy(h.DbPath, h.DbPath + ".backup");

        await h.OpenEngineAsync(replicate: ReplicationHarness.AllTables, durable: true);
        h.Exec("INSERT INTO t VALUES (2, 2), (3, 3)");
        await h.Engine.SyncAsync(s_ct);
        await h.CloseEngineAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(h.DbPath + "-wal");
        File.Delete(h.DbPath + "-shm");
        File.Copy(h.DbPath + ".backup", h.DbPath, overwrite: true);

        await h.OpenEngineAsync(replicate: ReplicationHarness.AllTables, durable: true);
        Assert.Equal(1, h.OlapCount("t"));
        Assert.Contains("older copy", h.Engine.LastRebuildReason, StringComparison.Ordinal);

        // New writes arrive although their sequence numbers are below what the mirror had seen.
        h.Exec("INSERT INTO t VALUES (9, 9)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(2, h.OlapCount("t"));
    }

    [Fact]
    public async Task Sequence_reset_behind_the_watermark_is_detected_in_a_cycle_and_the_mirror_rebuilt()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables);
        h.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1), (2, 2)");
        await h.Engine.SyncAsync(s_ct);
        // The log emptied outside Rhei.Data, the event that carried the numbering included: it starts again at 1.
        h.Exec("DELETE FROM _rhei_cdc_log");
        h.Exec("INSERT INTO t VALUES (3, 3)");
        Assert.Equal(1, h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"));
        await h.Engine.SyncAsync(s_ct);
        h.Exec("INSERT INTO t VALUES (4, 4)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(4, h.OlapCount("t"));
        var status = await h.Engine.GetStatusAsync(s_ct);
        Assert.NotNull(status.LastRebuildReason);
    }

    [Fact]
    public async Task Events_deleted_from_the_log_by_another_writer_trigger_a_rebuild()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables);
        h.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1)");
        h.Exec("INSERT INTO t VALUES (2, 2)");
        h.Exec("DELETE FROM _rhei_cdc_log WHERE seq = (SELECT min(seq) FROM _rhei_cdc_log)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(2, h.OlapCount("t"));
        Assert.Contains("missing", h.Engine.LastRebuildReason, StringComparison.Ordinal);

        h.Exec("INSERT INTO t VALUES (3, 3)");
        h.Exec("DELETE FROM _rhei_cdc_log");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(3, h.OlapCount("t"));
    }

    [Fact]
    public async Task Sequence_pushed_to_the_maximum_is_put_back_and_writes_keep_flowing()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables);
        h.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1)");
        await h.Engine.SyncAsync(s_ct);
        // A row at the end of the range: SQLite would number every later row at random.
        h.Exec("INSERT INTO _rhei_cdc_log (seq, tbl, op, k0) VALUES (9223372036854775807, 't', 'I', 1)");
        await h.Engine.SyncAsync(s_ct);
        Assert.True(h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log") < 1000);
        h.Exec("INSERT INTO t VALUES (2, 2)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(2, h.OlapCount("t"));
        h.Exec("INSERT INTO t VALUES (3, 3)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(3, h.OlapCount("t"));
        Assert.Contains("pushed", h.Engine.LastRebuildReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Triggers_dropped_by_another_writer_are_recreated_and_the_table_reloaded()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables);
        h.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1)");
        await h.Engine.SyncAsync(s_ct);
        h.Exec("DROP TRIGGER \"_rhei_cdc_t_ins\"");
        h.Exec("INSERT INTO t VALUES (2, 2)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(2, h.OlapCount("t"));
        h.Exec("INSERT INTO t VALUES (3, 3)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(3, h.OlapCount("t"));
        Assert.Contains("triggers", h.Engine.LastRebuildReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dropped_change_log_is_recreated_and_writes_keep_replicating()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables);
        h.Exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1)");
        await h.Engine.SyncAsync(s_ct);
        h.Exec("DROP TABLE _rhei_cdc_log");
        await h.Engine.SyncAsync(s_ct);
        // Recreated. (Reading the catalog also refreshes the pooled connection that dropped the table: SQLite does not
        // notice a stale schema when it fails to compile a trigger, so that connection's next write would fail.)
        Assert.Equal(1, h.SqliteScalar("SELECT count(*) FROM sqlite_schema WHERE name = '_rhei_cdc_log'"));
        h.Exec("INSERT INTO t VALUES (2, 2)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(2, h.OlapCount("t"));
    }

    [Fact]
    public async Task Temporal_quarantine_keeps_the_history_out_of_reach_and_brings_it_back()
    {
        await using var h = await ReplicationHarness.StartAsync(RheiSyncMode.Temporal, ReplicationHarness.AllTables);
        h.Exec("CREATE TABLE q(id INTEGER PRIMARY KEY, n INTEGER)");
        await h.Engine.RegisterTableAsync("q", s_ct);
        h.Exec("INSERT INTO q VALUES (1, 10)");
        await h.Engine.SyncAsync(s_ct);
        h.Exec("UPDATE q SET n = 11 WHERE id = 1");
        await h.Engine.SyncAsync(s_ct);
        h.Exec("INSERT INTO q VALUES (2, 'abc')");
        await h.Engine.SyncAsync(s_ct);
        Assert.True(h.Engine.IsQuarantined("q"));
        Assert.Empty(h.Olap("SELECT 1 FROM information_schema.tables WHERE table_name = 'q'"));

        h.Exec("UPDATE q SET n = 2 WHERE id = 2");
        await h.Engine.InitialSyncAsync("q", null, s_ct);
        Assert.False(h.Engine.IsQuarantined("q"));

        // The old version of id 1 survived the quarantine; the live rows match SQLite.
        Assert.Contains(10L, h.Olap("SELECT n FROM q WHERE id = 1").Select(r => Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(13L, Convert.ToInt64(h.Olap("SELECT sum(n) FROM q WHERE _rhei_valid_to IS NULL")[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Durable_mirror_resumes_after_its_initial_load_without_loading_again()
    {
        await using var h = new ReplicationHarness();
        h.Exec("CREATE TABLE big(id INTEGER PRIMARY KEY, v INTEGER, s TEXT)");
        h.Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) INSERT INTO big SELECT i, i * 2, 'row ' || i FROM n");
        await h.OpenEngineAsync(replicate: ReplicationHarness.AllTables, durable: true);
        Assert.Equal(200_000, h.OlapCount("big"));
        await h.CloseEngineAsync();

        // A row only the mirror has: a reload from SQLite would remove it, resuming keeps it.
        using (var file = DuckDbDatabase.Open(Path.Combine(h.Directory, "mirror.duckdb")))
        using (var session = file.Connect())
        {
            session.Execute("INSERT INTO big VALUES (-1, 0, 'only in the mirror')");
        }

        await h.OpenEngineAsync(replicate: ReplicationHarness.AllTables, durable: true);
        Assert.Equal(200_001, h.OlapCount("big"));
        Assert.Null(h.Engine.LastRebuildReason);
    }
}
