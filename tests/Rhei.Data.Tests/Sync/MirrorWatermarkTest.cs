using System.Globalization;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// The stored position a batch writes into the mirror with its rows (one UPDATE of the one row, or the long way when
/// the table does not hold exactly one row): always one row, at the batch's last event, and a durable mirror
/// reopened from it applies nothing twice and skips nothing.
/// </summary>
public sealed class MirrorWatermarkTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task Watermark_is_one_row_at_the_last_applied_event_after_many_batches()
    {
        await using var h = new ReplicationHarness();
        await h.OpenEngineAsync(replicate: new HashSet<string> { "t" }, durable: true, batchSize: 2);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        for (var i = 1; i <= 7; i++)
        {
            h.Exec("INSERT INTO t VALUES ($p1, $p1)", i);
        }

        await h.Engine.SyncAsync(s_ct);

        var rows = h.Olap($"SELECT seq FROM {MirrorState.WatermarkTable}");
        Assert.Single(rows);
        Assert.Equal(h.Engine.Watermark, Convert.ToInt64(rows[0][0], CultureInfo.InvariantCulture));
        Assert.Equal(7, h.OlapCount("t"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Watermark_table_without_exactly_one_row_is_written_whole(int rowsBefore)
    {
        await using var h = new ReplicationHarness();
        await h.OpenEngineAsync(replicate: new HashSet<string> { "t" }, durable: true);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("INSERT INTO t VALUES (1, 1)");
        await h.Engine.SyncAsync(s_ct);

        // A table emptied (or holding a stray second row) still ends a batch with the one row of its position.
        using (var session = h.Duck.Connect())
        {
            session.Execute($"DELETE FROM {MirrorState.WatermarkTable}");
            for (var i = 0; i < rowsBefore; i++)
            {
                session.Execute($"INSERT INTO {MirrorState.WatermarkTable} VALUES ('stray', {i})");
            }
        }

        h.Exec("INSERT INTO t VALUES (2, 2)");
        await h.Engine.SyncAsync(s_ct);

        var rows = h.Olap($"SELECT consumer_id, seq FROM {MirrorState.WatermarkTable}");
        Assert.Single(rows);
        Assert.NotEqual("stray", rows[0][0]);
        Assert.Equal(h.Engine.Watermark, Convert.ToInt64(rows[0][1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Durable_mirror_reopened_resumes_at_its_stored_position()
    {
        await using var h = new ReplicationHarness();
        await h.OpenEngineAsync(replicate: new HashSet<string> { "t" }, durable: true, batchSize: 3);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        for (var i = 1; i <= 5; i++)
        {
            h.Exec("INSERT INTO t VALUES ($p1, $p1)", i);
        }

        await h.Engine.SyncAsync(s_ct);
        await h.CloseEngineAsync();

        h.Exec("UPDATE t SET v = v + 10 WHERE id <= 2");
        h.Exec("INSERT INTO t VALUES (6, 6)");
        await h.OpenEngineAsync(replicate: new HashSet<string> { "t" }, durable: true, batchSize: 3);
        await h.Engine.SyncAsync(s_ct);

        Assert.Equal(6, h.OlapCount("t"));
        Assert.Equal(
            h.SqliteScalar("SELECT sum(v) FROM t"),
            Convert.ToInt64(h.Olap("SELECT sum(v) FROM t")[0][0], CultureInfo.InvariantCulture));
        Assert.Single(h.Olap($"SELECT seq FROM {MirrorState.WatermarkTable}"));
    }

    [Fact]
    public async Task In_memory_mirror_applies_batches_without_writing_a_stored_position()
    {
        await using var h = new ReplicationHarness();
        await h.OpenEngineAsync(replicate: new HashSet<string> { "t" }, batchSize: 2);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        for (var i = 1; i <= 5; i++)
        {
            h.Exec("INSERT INTO t VALUES ($p1, $p1)", i);
        }

        h.Exec("UPDATE t SET v = v * 10 WHERE id > 3");
        h.Exec("DELETE FROM t WHERE id = 1");
        await h.Engine.SyncAsync(s_ct);

        // Nothing ever reads the row back from an in-memory mirror (each process loads its own), so neither the load nor
        // the batches write one, while the engine's position and the rows are those of every applied event.
        Assert.Empty(h.Olap($"SELECT consumer_id, seq FROM {MirrorState.WatermarkTable}"));
        Assert.Equal(h.SqliteScalar($"SELECT max(seq) FROM {ReplicationTables.CdcLog}"), h.Engine.Watermark);
        Assert.Equal(4, h.OlapCount("t"));
        Assert.Equal(
            h.SqliteScalar("SELECT sum(v) FROM t"),
            Convert.ToInt64(h.Olap("SELECT sum(v) FROM t")[0][0], CultureInfo.InvariantCulture));
    }
}
