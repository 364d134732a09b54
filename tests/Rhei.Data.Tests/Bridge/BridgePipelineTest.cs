using Rhei.Data.Bridge;

namespace Rhei.Data.Tests.Bridge;

/// <summary>rhei's six bridge tests (seed 000, <c>test_bridge_*</c>), ported: the pipeline reads the durable bridge log.</summary>
public sealed class BridgePipelineTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    private static async Task<BridgeHarness> UsersAsync(RheiSyncMode mode = RheiSyncMode.Destructive, bool durable = false)
    {
        var h = new BridgeHarness();
        await h.OpenEngineAsync(mode, durable);
        h.Exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, age INTEGER)");
        await h.Engine.RegisterTableAsync("users", s_ct);
        Assert.IsType<BridgeChangeSource>(h.Engine.Bridge);
        return h;
    }

    [Fact]
    public async Task Bridge_full_pipeline_applies_inserts_through_the_bridge_log()
    {
        await using var h = await UsersAsync();
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        h.Exec("INSERT INTO users VALUES (2, 'Bob', 25)");
        h.Exec("INSERT INTO users VALUES (3, 'Charlie', 35)");

        var result = await h.Engine.SyncAsync(s_ct);
        Assert.Equal(3, result.EventsProcessed);
        Assert.Equal(3, result.RowsInserted);
        Assert.Equal(0, result.RowsUpdated);
        Assert.Equal(0, result.RowsDeleted);
        Assert.Equal(3, h.OlapCount("users"));
        Assert.Equal(["Alice", "Bob", "Charlie"], h.Olap("SELECT name FROM users ORDER BY id").Select(r => (string)r[0]!));

        var status = await h.Engine.GetStatusAsync(s_ct);
        Assert.Equal(0, status.Lag);
        Assert.Equal(h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"), status.BridgeWatermark);
    }

    [Fact]
    public async Task Bridge_prunes_the_sqlite_log_once_events_are_durably_bridged()
    {
        await using var h = await UsersAsync();
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        h.Exec("INSERT INTO users VALUES (2, 'Bob', 25)");
        Assert.Equal(2, h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log"));

        var result = await h.Engine.SyncAsync(s_ct);
        Assert.Equal(2, result.EventsProcessed);
        // A drained log keeps its last event: numbering goes on from it (CdcLogPruner).
        Assert.Equal(1, h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log"));

        // Applied, so pruned from the bridge log too (Prune After Sync=true).
        var status = await h.Engine.GetStatusAsync(s_ct);
        Assert.Equal(0, status.BridgeLogEvents);
    }

    [Fact]
    public async Task Bridge_syncs_update_and_delete()
    {
        await using var h = await UsersAsync();
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        await h.Engine.SyncAsync(s_ct);

        h.Exec("UPDATE users SET age = 31 WHERE id = 1");
        Assert.Equal(1, (await h.Engine.SyncAsync(s_ct)).RowsUpdated);
        Assert.Equal(31L, h.Olap("SELECT age FROM users WHERE id = 1")[0][0]);

        h.Exec("DELETE FROM users WHERE id = 1");
        Assert.Equal(1, (await h.Engine.SyncAsync(s_ct)).RowsDeleted);
        Assert.Equal(0, h.OlapCount("users"));
    }

    [Fact]
    public async Task Bridge_rocksdb_durability_second_cycle_is_a_no_op_and_a_reopened_bridge_redelivers_what_was_not_applied()
    {
        await using var h = await UsersAsync(durable: true);
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        h.Exec("INSERT INTO users VALUES (2, 'Bob', 25)");
        Assert.Equal(2, (await h.Engine.SyncAsync(s_ct)).EventsProcessed);
        Assert.Equal(0, (await h.Engine.SyncAsync(s_ct)).EventsProcessed);
        Assert.Equal(2, h.OlapCount("users"));

        // A crash after bridging and before applying: the events live only in the bridge log (SQLite's copy is pruned).
        h.Exec("INSERT INTO users VALUES (3, 'Charlie', 35)");
        h.Engine.Bridge!.BridgeThrough(long.MaxValue, 100);
        Assert.Equal(1, h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log"));
        await h.CloseEngineAsync();

        await h.OpenEngineAsync(durable: true);
        Assert.Equal(1, (await h.Engine.SyncAsync(s_ct)).EventsProcessed);
        Assert.Equal(3, h.OlapCount("users"));
        Assert.Null((await h.Engine.GetStatusAsync(s_ct)).LastRebuildReason);
    }

    [Fact]
    public async Task Bridge_is_idempotent_no_duplicates_over_repeated_cycles()
    {
        await using var h = await UsersAsync();
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        h.Exec("INSERT INTO users VALUES (2, 'Bob', 25)");
        h.Exec("INSERT INTO users VALUES (3, 'Charlie', 35)");
        Assert.Equal(3, (await h.Engine.SyncAsync(s_ct)).EventsProcessed);

        // Bridging again moves nothing: the watermark in the bridge log says what is there.
        Assert.Equal(0, h.Engine.Bridge!.BridgeThrough(long.MaxValue, 100));
        Assert.Equal(0, (await h.Engine.SyncAsync(s_ct)).EventsProcessed);
        Assert.Equal(0, (await h.Engine.SyncAsync(s_ct)).EventsProcessed);
        Assert.Equal(3, h.OlapCount("users"));
    }

    [Fact]
    public async Task Bridge_lag_counts_the_sqlite_backlog_and_the_bridged_but_unapplied_events_exactly()
    {
        await using var h = await UsersAsync();
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        h.Exec("INSERT INTO users VALUES (2, 'Bob', 25)");
        Assert.Equal(2, (await h.Engine.GetStatusAsync(s_ct)).Lag);

        // Two bridged and not applied, one more only in SQLite: exactly three, not inflated.
        h.Engine.Bridge!.BridgeThrough(long.MaxValue, 100);
        h.Exec("INSERT INTO users VALUES (3, 'Charlie', 35)");
        var status = await h.Engine.GetStatusAsync(s_ct);
        Assert.Equal(3, status.Lag);
        Assert.Equal(2, status.BridgeLogEvents);

        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(0, (await h.Engine.GetStatusAsync(s_ct)).Lag);
    }
}
