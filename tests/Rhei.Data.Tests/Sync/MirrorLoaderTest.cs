using System.Globalization;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// The pipelined initial load (SQLite read on a worker, DuckDB append on the caller) across many batches:
/// values, a misfit deep in the table, cancellation midway and the engine staying usable afterwards.
/// </summary>
public sealed class MirrorLoaderTest
{
    private const int Rows = 20_000;

    [Fact]
    public async Task Load_round_trips_nulls_text_and_blobs_across_batches()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE m (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB)");
        h.Exec(
            $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows})
            INSERT INTO m SELECT i,
                CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'ä€😀-' || i ELSE printf('%.*c', i % 300, 'x') END,
                CASE WHEN i % 7 = 0 THEN NULL ELSE i * 0.25 END,
                CASE i % 3 WHEN 0 THEN NULL WHEN 1 THEN x'' ELSE randomblob(i % 40) END
            FROM n
            """);
        await h.Engine.RegisterTableAsync(new RheiTableSchema("m", [new RheiColumn("id", "INTEGER", false), new RheiColumn("name", "TEXT"), new RheiColumn("score", "REAL"), new RheiColumn("data", "BLOB")], ["id"]), CancellationToken.None);

        Assert.Equal(Rows, await h.Engine.InitialSyncAsync("m", null, CancellationToken.None));

        Assert.Equal(Rows, h.OlapCount("m"));
        foreach (var (sqlite, duck) in new[]
        {
            ("SELECT count(name) FROM m", "SELECT count(name) FROM m"),
            ("SELECT sum(length(CAST(name AS BLOB))) FROM m", "SELECT sum(strlen(name)) FROM m"),
            ("SELECT count(*) FROM m WHERE name = ''", "SELECT count(*) FROM m WHERE name = ''"),
            ("SELECT count(score) FROM m", "SELECT count(score) FROM m"),
            ("SELECT CAST(sum(score) * 4 AS INTEGER) FROM m", "SELECT CAST(sum(score) * 4 AS BIGINT) FROM m"),
            ("SELECT count(data) FROM m", "SELECT count(data) FROM m"),
            ("SELECT sum(length(data)) FROM m", "SELECT sum(octet_length(data)) FROM m"),
        })
        {
            Assert.Equal(h.SqliteScalar(sqlite), Convert.ToInt64(h.Olap(duck)[0][0], CultureInfo.InvariantCulture));
        }

        Assert.Equal("ä€😀-7", h.Olap("SELECT name FROM m WHERE id = 7")[0][0]);
        Assert.Equal(new string('x', 299), h.Olap("SELECT name FROM m WHERE id = 299")[0][0]);
    }

    [Fact]
    public async Task Misfit_in_a_later_batch_quarantines_with_its_key_and_leaves_no_mirror_rows()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE q (id INTEGER PRIMARY KEY, n INTEGER)");
        h.Exec($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO q SELECT i, i FROM n");
        await h.Engine.RegisterTableAsync("q", CancellationToken.None);
        await h.Engine.InitialSyncAsync("q", null, CancellationToken.None);
        h.Exec("UPDATE q SET n = 'abc' WHERE id = 15000");

        await h.Engine.InitialSyncAsync("q", null, CancellationToken.None);

        Assert.True(h.Engine.IsQuarantined("q"));
        var status = (await h.Engine.GetStatusAsync(CancellationToken.None)).Tables.Single(t => t.Table == "q");
        Assert.Equal("(15000)", status.OffendingKey);
        Assert.Contains("'n'", status.QuarantineReason, StringComparison.Ordinal);
        // A quarantined table keeps no (stale) mirror table at all: reads of it can only be answered by SQLite.
        Assert.Empty(h.Olap("SELECT 1 FROM information_schema.tables WHERE table_name = 'q'"));

        h.Exec("UPDATE q SET n = 15000 WHERE id = 15000");
        Assert.Equal(Rows, await h.Engine.InitialSyncAsync("q", null, CancellationToken.None));
        Assert.False(h.Engine.IsQuarantined("q"));
        Assert.Equal(h.SqliteScalar("SELECT sum(n) FROM q"), Convert.ToInt64(h.Olap("SELECT sum(n) FROM q")[0][0], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Cancelled_load_keeps_the_previous_mirror_and_the_engine_usable()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE c (id INTEGER PRIMARY KEY, name TEXT)");
        h.Exec($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows * 5}) INSERT INTO c SELECT i, 'name' || i FROM n");
        await h.Engine.RegisterTableAsync("c", CancellationToken.None);
        await h.Engine.InitialSyncAsync("c", null, CancellationToken.None);
        h.Exec("DELETE FROM c WHERE id > 50000");
        await h.Engine.SyncAsync(CancellationToken.None);
        h.Exec($"WITH RECURSIVE n(i) AS (SELECT 50001 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows * 10}) INSERT INTO c SELECT i, 'again' || i FROM n");

        using var cts = new CancellationTokenSource();
        var progress = new CancellingProgress(cts);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Engine.InitialSyncAsync("c", progress, cts.Token));

        Assert.Equal(50_000, h.OlapCount("c"));
        Assert.Equal(Rows * 10, await h.Engine.InitialSyncAsync("c", null, CancellationToken.None));
        Assert.Equal(Rows * 10, h.OlapCount("c"));
        h.Exec("INSERT INTO c VALUES (0, 'zero')");
        await h.Engine.SyncAsync(CancellationToken.None);
        Assert.Equal((Rows * 10) + 1, h.OlapCount("c"));
    }

    private sealed class CancellingProgress(CancellationTokenSource cts) : IProgress<long>
    {
        public void Report(long value) => cts.Cancel();
    }
}
