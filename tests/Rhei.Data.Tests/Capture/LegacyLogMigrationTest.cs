using Rhei.Data.Tests.Sync;

namespace Rhei.Data.Tests.Capture;

/// <summary>
/// Issue 12, round four: a SQLite file whose change log is the AUTOINCREMENT table of earlier versions (with their
/// triggers) keeps its numbering and its mirror when a newer Rhei.Data opens it, and moves to the plain rowid log.
/// </summary>
public sealed class LegacyLogMigrationTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    // The log and the triggers of table t as Rhei.Data created them before round four, text for text.
    private const string LegacyLog = """
        CREATE TABLE _rhei_cdc_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            tbl TEXT NOT NULL,
            op TEXT NOT NULL,
            k0, k1, k2, k3, k4, k5, k6, k7,
            ts INTEGER,
            img TEXT)
        """;

    private static readonly string[] s_legacyTriggers =
    [
        "CREATE TRIGGER \"_rhei_cdc_t_ins\" AFTER INSERT ON \"t\" BEGIN INSERT INTO _rhei_cdc_log (tbl, op, k0) VALUES ('t', 'I', NEW.\"id\"); END",
        "CREATE TRIGGER \"_rhei_cdc_t_upd\" AFTER UPDATE ON \"t\" BEGIN INSERT INTO _rhei_cdc_log (tbl, op, k0) SELECT 't', 'D', OLD.\"id\" WHERE OLD.\"id\" IS NOT NEW.\"id\"; INSERT INTO _rhei_cdc_log (tbl, op, k0) VALUES ('t', 'U', NEW.\"id\"); END",
        "CREATE TRIGGER \"_rhei_cdc_t_del\" AFTER DELETE ON \"t\" BEGIN INSERT INTO _rhei_cdc_log (tbl, op, k0) VALUES ('t', 'D', OLD.\"id\"); END",
    ];

    [Fact]
    public async Task An_old_log_holding_events_moves_on_open_with_its_numbers_and_the_durable_mirror_resumes_without_a_reload()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables, durable: true);
        var watermark = await MakeLegacyFileAsync(h);

        // Written by a foreign writer through the old triggers: numbered by AUTOINCREMENT after the old high-water mark.
        h.Exec("INSERT INTO t VALUES (10, 10)");
        h.Exec("UPDATE t SET v = 11 WHERE id = 1");
        h.Exec("UPDATE t SET id = 12 WHERE id = 2");
        Assert.Equal(watermark + 4, h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"));

        await h.OpenEngineAsync(replicate: ReplicationHarness.AllTables, durable: true);

        Assert.Equal(0, h.SqliteScalar("SELECT count(*) FROM sqlite_schema WHERE name = '_rhei_cdc_log' AND sql LIKE '%AUTOINCREMENT%'"));
        await h.Engine.SyncAsync(s_ct);
        Assert.Null(h.Engine.LastRebuildReason);
        Assert.Equal(watermark + 4, h.Engine.Watermark);
        AssertMirrorMatches(h);

        // The triggers were replaced by the current ones (an UPDATE OF trigger for key changes), and numbering goes on.
        Assert.Equal(1, h.SqliteScalar("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = '_rhei_cdc_t_updkey'"));
        Assert.Equal(4, h.SqliteScalar("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 't'"));
        h.Exec("INSERT INTO t VALUES (13, 13)");
        Assert.Equal(watermark + 5, h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"));
        await h.Engine.SyncAsync(s_ct);
        Assert.Null(h.Engine.LastRebuildReason);
        AssertMirrorMatches(h);
    }

    [Fact]
    public async Task An_old_log_pruned_empty_keeps_its_high_water_mark_and_moves_at_the_first_prune_with_an_event()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables, durable: true);
        var watermark = await MakeLegacyFileAsync(h);

        await h.OpenEngineAsync(replicate: ReplicationHarness.AllTables, durable: true);

        // Empty: only sqlite_sequence knows the high-water mark, so the old table stays until an event carries it.
        Assert.Equal(1, h.SqliteScalar("SELECT count(*) FROM sqlite_schema WHERE name = '_rhei_cdc_log' AND sql LIKE '%AUTOINCREMENT%'"));
        Assert.Equal(0, (await h.Engine.SyncAsync(s_ct)).EventsProcessed);
        Assert.Null(h.Engine.LastRebuildReason);

        h.Exec("INSERT INTO t VALUES (10, 10)");
        Assert.Equal(watermark + 1, h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"));
        Assert.Equal(1, (await h.Engine.SyncAsync(s_ct)).EventsProcessed);
        Assert.Equal(0, h.SqliteScalar("SELECT count(*) FROM sqlite_schema WHERE name = '_rhei_cdc_log' AND sql LIKE '%AUTOINCREMENT%'"));
        Assert.Equal(watermark + 1, h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"));

        h.Exec("DELETE FROM t WHERE id = 1");
        Assert.Equal(watermark + 2, h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"));
        await h.Engine.SyncAsync(s_ct);
        Assert.Null(h.Engine.LastRebuildReason);
        AssertMirrorMatches(h);

        // And across a reopen.
        await h.CloseEngineAsync();
        h.Exec("INSERT INTO t VALUES (11, 11)");
        await h.OpenEngineAsync(replicate: ReplicationHarness.AllTables, durable: true);
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(watermark + 3, h.Engine.Watermark);
        Assert.Null(h.Engine.LastRebuildReason);
        AssertMirrorMatches(h);
    }

    /// <summary>
    /// Table t replicated into a durable mirror and synced, the engine closed, then the file put back into the shape of
    /// earlier versions: the AUTOINCREMENT log, pruned empty, with its high-water mark in sqlite_sequence, and the old
    /// triggers. Returns that mark (the mirror's watermark).
    /// </summary>
    private static async Task<long> MakeLegacyFileAsync(ReplicationHarness h)
    {
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1), (2, 2), (3, 3)");
        await h.Engine.SyncAsync(s_ct);
        var watermark = h.Engine.Watermark;
        Assert.Equal(3, watermark);
        await h.CloseEngineAsync();

        using var connection = h.OpenSqlite();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        foreach (var sql in new[] { "DROP TRIGGER \"_rhei_cdc_t_ins\"", "DROP TRIGGER \"_rhei_cdc_t_upd\"", "DROP TRIGGER \"_rhei_cdc_t_updkey\"", "DROP TRIGGER \"_rhei_cdc_t_del\"", "DROP TABLE _rhei_cdc_log", LegacyLog }
            .Concat(s_legacyTriggers)
            .Append($"INSERT INTO sqlite_sequence (name, seq) VALUES ('_rhei_cdc_log', {watermark})"))
        {
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return watermark;
    }

    private static void AssertMirrorMatches(ReplicationHarness h)
    {
        using var connection = h.OpenSqlite();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, v FROM t ORDER BY id";
        var expected = new List<(long, long)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                expected.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        var actual = h.Olap("SELECT id, v FROM t ORDER BY id").Select(r => (Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(expected, actual);
    }
}
