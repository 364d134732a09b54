using System.Globalization;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.InitialSync;

/// <summary>
/// A full reload of a destructive mirror: the rows come into a new, empty table of the same columns, so DuckDB's
/// storage holds the new copy only (DELETE FROM kept every old row beside it), and a reload that fails part way
/// leaves the previous rows and column types as they were.
/// </summary>
public sealed class InitialSyncReloadTest
{
    private const int Rows = 5_000;

    [Fact]
    public async Task Reloads_leave_DuckDBs_storage_holding_one_copy_of_the_table()
    {
        await using var h = await StartAsync();
        await RegisterFilledAsync(h);

        for (var reload = 0; reload < 3; reload++)
        {
            Assert.Equal(Rows, await h.Engine.InitialSyncAsync("r", null, CancellationToken.None));
        }

        // estimated_size counts the rows the table's storage holds, deleted ones included.
        Assert.Equal((long)Rows, Convert.ToInt64(h.Olap("SELECT estimated_size FROM duckdb_tables() WHERE table_name = 'r'")[0][0], CultureInfo.InvariantCulture));
        Assert.Equal(Rows, h.OlapCount("r"));
        Assert.Equal(h.SqliteScalar("SELECT sum(n) FROM r"), Convert.ToInt64(h.Olap("SELECT sum(n) FROM r")[0][0], CultureInfo.InvariantCulture));
        Assert.Equal(["BIGINT", "DOUBLE", "VARCHAR"], h.Olap("SELECT data_type FROM information_schema.columns WHERE table_name = 'r' ORDER BY ordinal_position").Skip(1).Select(c => (string)c[0]!).ToArray());
    }

    [Fact]
    public async Task A_reload_cancelled_part_way_leaves_the_previous_rows_and_columns()
    {
        await using var h = await StartAsync();
        await RegisterFilledAsync(h, rows: 300_000);
        h.Exec("UPDATE r SET n = n + 1");
        var columnsBefore = h.Olap("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'r' ORDER BY ordinal_position");

        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(rows =>
        {
            if (rows < 300_000)
            {
                cancel.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Engine.InitialSyncAsync("r", progress, cancel.Token));

        // The old copy, not the new one's first rows: the update above had not been synced.
        Assert.Equal(300_000, h.OlapCount("r"));
        Assert.Equal(h.SqliteScalar("SELECT sum(n) FROM r") - 300_000, Convert.ToInt64(h.Olap("SELECT sum(n) FROM r")[0][0], CultureInfo.InvariantCulture));
        Assert.Equal(columnsBefore, h.Olap("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'r' ORDER BY ordinal_position"));

        Assert.Equal(300_000, await h.Engine.InitialSyncAsync("r", null, CancellationToken.None));
        Assert.Equal(h.SqliteScalar("SELECT sum(n) FROM r"), Convert.ToInt64(h.Olap("SELECT sum(n) FROM r")[0][0], CultureInfo.InvariantCulture));
    }

    private static async Task RegisterFilledAsync(Sync.ReplicationHarness h, int rows = Rows)
    {
        h.Exec("CREATE TABLE r (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, x REAL, note TEXT)");
        h.Exec($"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {rows}) INSERT INTO r SELECT i, i, i / 4.0, 'row ' || i FROM s");
        await h.Engine.RegisterTableAsync(
            new RheiTableSchema("r", [new RheiColumn("id", "INTEGER", false), new RheiColumn("n", "INTEGER", false), new RheiColumn("x", "REAL"), new RheiColumn("note", "TEXT")], ["id"]),
            CancellationToken.None);
        Assert.Equal(rows, await h.Engine.InitialSyncAsync("r", null, CancellationToken.None));
        Assert.Equal(rows, h.OlapCount("r"));
    }

    /// <summary>Reports on the loading thread itself (<see cref="Progress{T}"/> would post to the thread pool, too late).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
