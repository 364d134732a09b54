using System.Diagnostics;
using Rhei.Data.Olap;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Diagnostics;

/// <summary>
/// The sync side's spans (<c>rhei.sync.cycle</c>, <c>rhei.sync.initial</c>) and instruments (cycles, their duration,
/// events, rows, initial-sync rows, lag gauges per table, quarantined tables, freshness waits), each with its unit and tags.
/// </summary>
public sealed class SyncTelemetryTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task Sync_cycle_has_a_span_with_its_counts_and_counts_cycles_events_and_rows_per_operation()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)");
        h.Exec("CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("a", s_ct);
        await h.Engine.RegisterTableAsync("b", s_ct);
        await h.Engine.SyncAsync(s_ct);
        h.Exec("INSERT INTO a VALUES (1, 'x'), (2, 'y'), (3, 'w')");
        await h.Engine.SyncAsync(s_ct);
        h.Exec("UPDATE a SET v = 'z' WHERE id = 2");
        h.Exec("DELETE FROM a WHERE id = 3");
        h.Exec("INSERT INTO b VALUES (1, 'x')");
        using var capture = new TelemetryCapture(h.DbPath);

        var result = await h.Engine.SyncAsync(s_ct);

        var cycle = Assert.Single(capture.Spans("rhei.sync.cycle"));
        Assert.Equal(2, cycle.GetTagItem("rhei.sync.tables"));
        Assert.Equal(3L, cycle.GetTagItem("rhei.sync.events"));
        Assert.Equal(1L, cycle.GetTagItem("rhei.sync.inserted"));
        Assert.Equal(1L, cycle.GetTagItem("rhei.sync.updated"));
        Assert.Equal(1L, cycle.GetTagItem("rhei.sync.deleted"));
        Assert.Equal("explicit", cycle.GetTagItem("rhei.sync.trigger"));
        Assert.Equal("duckdb", cycle.GetTagItem("db.system.name"));
        Assert.Equal(ActivityStatusCode.Unset, cycle.Status);

        var cycles = Assert.Single(capture.Measurements("rhei.sync.cycles"));
        Assert.Equal(("{cycle}", 1.0, "explicit"), (cycles.Unit, cycles.Value, cycles.Tag("rhei.sync.trigger")));
        var duration = Assert.Single(capture.Measurements("rhei.sync.cycle.duration"));
        Assert.Equal("s", duration.Unit);
        Assert.InRange(duration.Value, 0, result.Duration.TotalSeconds + 1);
        var events = Assert.Single(capture.Measurements("rhei.sync.events"));
        Assert.Equal(("{event}", 3.0), (events.Unit, events.Value));
        var rows = capture.Measurements("rhei.sync.rows").ToDictionary(m => (string)m.Tag("rhei.sync.operation")!, m => m.Value);
        Assert.Equal(new Dictionary<string, double> { ["insert"] = 1, ["update"] = 1, ["delete"] = 1 }, rows);
        Assert.All(capture.Measurements("rhei.sync.rows"), m => Assert.Equal("{row}", m.Unit));
    }

    [Fact]
    public async Task Failed_sync_cycle_is_an_error_span_a_counted_failure_and_a_failure_in_a_row_until_one_succeeds()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1)");
        using var capture = new TelemetryCapture(h.DbPath);
        h.Engine.ApplyFaultInjector = _ => throw new DuckDbException("IO Error: Could not write file \"mirror.duckdb.wal\": No space left on device", 28);

        await Assert.ThrowsAsync<RheiException>(() => h.Engine.SyncAsync(s_ct));
        await Assert.ThrowsAsync<RheiException>(() => h.Engine.SyncAsync(s_ct));
        // The fault also starts the recovery loop, whose background cycles fail too and count as well.
        Assert.True((await h.Engine.GetStatusAsync(s_ct)).ConsecutiveSyncFailures >= 2);
        h.Engine.ApplyFaultInjector = null;

        var failed = capture.Spans("rhei.sync.cycle").Where(s => Equals(s.GetTagItem("rhei.sync.trigger"), "explicit")).ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, cycle =>
        {
            Assert.Equal(ActivityStatusCode.Error, cycle.Status);
            Assert.Contains("No space left on device", cycle.StatusDescription, StringComparison.Ordinal);
            Assert.Equal(typeof(RheiException).FullName, cycle.GetTagItem("error.type"));
            Assert.Contains(cycle.Events, e => e.Name == "exception");
        });
        Assert.Equal(2, capture.Measurements("rhei.sync.cycles").Count(m => Equals(m.Tag("error.type"), typeof(RheiException).FullName) && Equals(m.Tag("rhei.sync.trigger"), "explicit")));
        Assert.Empty(capture.Measurements("rhei.sync.events"));

        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(0, (await h.Engine.GetStatusAsync(s_ct)).ConsecutiveSyncFailures);
    }

    [Fact]
    public async Task Initial_sync_has_a_span_per_table_and_counts_the_rows_loaded()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("big", s_ct);
        h.Exec("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 250) INSERT INTO big SELECT n, 'r' || n FROM s");
        using var capture = new TelemetryCapture(h.DbPath);

        var loaded = await h.Engine.InitialSyncAsync("big", null, s_ct);

        Assert.Equal(250, loaded);
        var span = Assert.Single(capture.Spans("rhei.sync.initial"));
        Assert.Equal("big", span.GetTagItem("db.collection.name"));
        Assert.Equal(250L, span.GetTagItem("rhei.sync.rows"));
        var rows = Assert.Single(capture.Measurements("rhei.sync.initial.rows"));
        Assert.Equal(("{row}", 250.0, "big"), (rows.Unit, rows.Value, rows.Tag("db.collection.name")));
    }

    [Fact]
    public async Task Lag_gauges_report_pending_events_and_time_per_table_and_fall_to_zero_after_a_sync()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)");
        h.Exec("CREATE TABLE b (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("a", s_ct);
        await h.Engine.RegisterTableAsync("b", s_ct);
        await h.Engine.SyncAsync(s_ct);
        h.Exec("INSERT INTO a VALUES (1, 'x'), (2, 'y'), (3, 'z')");
        // Other tests collect too, and a reading is reused for 250 ms: wait until none taken before the insert can be
        // served. The log's commit time and the clock here tick separately, so the wait is longer than the bound below.
        await Task.Delay(400);
        using var capture = new TelemetryCapture(h.DbPath);

        capture.CollectGauges();
        var events = capture.Measurements("rhei.sync.lag.events").ToDictionary(m => (string)m.Tag("db.collection.name")!, m => m.Value);
        Assert.Equal(new Dictionary<string, double> { ["a"] = 3, ["b"] = 0 }, events);
        Assert.All(capture.Measurements("rhei.sync.lag.events"), m => Assert.Equal("{event}", m.Unit));
        var time = capture.Measurements("rhei.sync.lag.time").ToDictionary(m => (string)m.Tag("db.collection.name")!, m => m);
        Assert.Equal("s", time["a"].Unit);
        Assert.True(time["a"].Value >= 0.3, $"lag time {time["a"].Value} s");
        Assert.Equal(0, time["b"].Value);

        await h.Engine.SyncAsync(s_ct);
        await Task.Delay(300); // past the reuse window of one collection's reading
        capture.Clear();
        capture.CollectGauges();
        Assert.All(capture.Measurements("rhei.sync.lag.events"), m => Assert.Equal(0, m.Value));
        Assert.All(capture.Measurements("rhei.sync.lag.time"), m => Assert.Equal(0, m.Value));
        Assert.Equal(2, capture.Measurements("rhei.sync.lag.events").Count);

        // A closed engine no longer reports.
        await h.CloseEngineAsync();
        await Task.Delay(300);
        capture.Clear();
        capture.CollectGauges();
        Assert.Empty(capture.Measurements("rhei.sync.lag.events"));
        Assert.Empty(capture.Measurements("rhei.sync.quarantined_tables"));
    }

    [Fact]
    public async Task Quarantined_tables_gauge_counts_the_tables_whose_values_do_not_fit_the_mirror()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE q (id INTEGER PRIMARY KEY, n INTEGER)");
        db.Execute("CREATE TABLE ok (id INTEGER PRIMARY KEY, n INTEGER)");
        await using var connection = db.Open();
        await connection.SyncAsync();
        using var capture = new TelemetryCapture(db.Path);
        capture.CollectGauges();
        Assert.Equal(0, Assert.Single(capture.Measurements("rhei.sync.quarantined_tables")).Value);

        db.Execute("INSERT INTO q VALUES (1, 'abc')");
        await connection.SyncAsync();
        capture.Clear();
        capture.CollectGauges();

        var quarantined = Assert.Single(capture.Measurements("rhei.sync.quarantined_tables"));
        Assert.Equal(("{table}", 1.0), (quarantined.Unit, quarantined.Value));
    }

    [Fact]
    public async Task Strong_read_that_waits_for_a_cycle_records_the_wait_and_one_that_does_not_records_nothing()
    {
        await using var db = TestDatabase.Create();
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await using var connection = db.Open();
        await connection.SyncAsync();
        using var capture = new TelemetryCapture(db.Path);
        const string analytical = "SELECT sum(v) FROM t";

        db.Execute("INSERT INTO t VALUES (1, 5), (2, 7)");
        await using (var command = new RheiCommand(analytical, connection))
        {
            Assert.Equal(RheiRoute.Olap, command.ExplainRoute().Target);
            Assert.Equal(12L, await command.ExecuteScalarAsync());
            Assert.Equal(12L, await command.ExecuteScalarAsync());
        }

        var wait = Assert.Single(capture.Measurements("rhei.freshness.wait.duration"));
        Assert.Equal(("s", "strong"), (wait.Unit, wait.Tag("rhei.freshness")));
        var cycle = Assert.Single(capture.Spans("rhei.sync.cycle"));
        Assert.Equal("freshness", cycle.GetTagItem("rhei.sync.trigger"));
        Assert.InRange(wait.Value, cycle.Duration.TotalSeconds * 0.5, 60);
    }
}
