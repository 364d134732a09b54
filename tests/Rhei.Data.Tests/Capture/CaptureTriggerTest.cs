using System.Diagnostics;
using Rhei.Data.Tests.Sync;

namespace Rhei.Data.Tests.Capture;

/// <summary>
/// Issue 12, round four: the capture triggers log exactly one event per changed row (two for a key change, the delete
/// first) whatever the writer, and the log's numbering never goes back when a prune drains it.
/// </summary>
public sealed class CaptureTriggerTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Theory]
    [InlineData(RheiSyncMode.Destructive)]
    [InlineData(RheiSyncMode.Temporal)]
    public async Task Updates_log_one_event_and_key_changes_a_delete_then_an_insert_however_the_key_is_named(RheiSyncMode mode)
    {
        await using var h = await ReplicationHarness.StartAsync(mode, replicate: ReplicationHarness.AllTables);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        h.Exec("CREATE TABLE w (a TEXT, b INTEGER, v INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID");
        await h.Engine.RegisterTableAsync("t", s_ct);
        await h.Engine.RegisterTableAsync("w", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1), (2, 2)");
        h.Exec("INSERT INTO w VALUES ('x', 1, 1)");
        await h.Engine.SyncAsync(s_ct);

        Assert.Equal("U:1", Logged(h, "UPDATE t SET v = 5 WHERE id = 1"));
        Assert.Equal("U:1", Logged(h, "UPDATE t SET id = id, v = 6 WHERE id = 1"));
        Assert.Equal("D:1 U:10", Logged(h, "UPDATE t SET id = 10 WHERE id = 1"));
        Assert.Equal("D:10 U:20", Logged(h, "UPDATE t SET rowid = 20 WHERE id = 10"));
        Assert.Equal("D:20 U:21", Logged(h, "UPDATE t SET oid = 21 WHERE id = 20"));
        Assert.Equal("D:2 U:22", Logged(h, "UPDATE t SET _rowid_ = 22, v = 7 WHERE id = 2"));
        Assert.Equal("U:x", Logged(h, "UPDATE w SET v = 2"));
        Assert.Equal("D:x U:y", Logged(h, "UPDATE w SET a = 'y'"));
        Assert.Equal("D:y U:y", Logged(h, "UPDATE w SET b = 2"));
        Assert.Equal("D:21", Logged(h, "DELETE FROM t WHERE id = 21"));

        await h.Engine.SyncAsync(s_ct);
        var live = mode == RheiSyncMode.Temporal ? " WHERE _rhei_valid_to IS NULL" : string.Empty;
        Assert.Equal([[22L, 7L]], h.Olap($"SELECT id, v FROM t{live} ORDER BY id").Select(r => r.Select(Convert.ToInt64).ToArray()));
        Assert.Equal([["y", "2", "2"]], h.Olap($"SELECT a, CAST(b AS VARCHAR), CAST(v AS VARCHAR) FROM w{live}").Select(r => r.Select(c => Convert.ToString(c, System.Globalization.CultureInfo.InvariantCulture)).ToArray()));
    }

    [Fact]
    public async Task Numbering_goes_on_after_a_drained_log_for_a_foreign_writer_the_sqlite3_shell_and_across_a_reopen()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: ReplicationHarness.AllTables, durable: true);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1), (2, 2)");
        await h.Engine.SyncAsync(s_ct);
        var drained = h.Engine.Watermark;
        Assert.Equal(2, drained);
        Assert.Equal(1, h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log"));

        // A raw Microsoft.Data.Sqlite writer, then the sqlite3 shell: each numbered right after the last.
        h.Exec("INSERT INTO t VALUES (3, 3)");
        Assert.Equal(drained + 1, h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"));
        Shell(h.DbPath, "UPDATE t SET v = 4 WHERE id = 3;");
        Assert.Equal(drained + 2, h.SqliteScalar("SELECT max(seq) FROM _rhei_cdc_log"));
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(drained + 2, h.Engine.Watermark);

        await h.CloseEngineAsync();
        Shell(h.DbPath, "DELETE FROM t WHERE id = 1;");
        await h.OpenEngineAsync(replicate: ReplicationHarness.AllTables, durable: true);
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(drained + 3, h.Engine.Watermark);
        Assert.Null(h.Engine.LastRebuildReason);
        Assert.Equal([[2L, 2L], [3L, 4L]], h.Olap("SELECT id, v FROM t ORDER BY id").Select(r => r.Select(Convert.ToInt64).ToArray()));
    }

    /// <summary>Runs <paramref name="sql"/> and returns the events it logged, "op:key" in sequence order.</summary>
    private static string Logged(ReplicationHarness h, string sql)
    {
        var before = h.SqliteScalar("SELECT coalesce(max(seq), 0) FROM _rhei_cdc_log");
        h.Exec(sql);
        using var connection = h.OpenSqlite();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT op, k0 FROM _rhei_cdc_log WHERE seq > $from ORDER BY seq";
        command.Parameters.AddWithValue("$from", before);
        var events = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(reader.GetString(0) + ":" + Convert.ToString(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        }

        return string.Join(" ", events);
    }

    private static void Shell(string database, string sql)
    {
        var start = new ProcessStartInfo("sqlite3") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(database);
        using var process = Process.Start(start)!;
        process.StandardInput.WriteLine(".timeout 30000");
        process.StandardInput.WriteLine(sql);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && error.Length == 0, error);
    }
}
