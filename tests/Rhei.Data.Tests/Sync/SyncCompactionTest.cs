using System.Globalization;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// Compaction of destructive batches with integer keys looked up by value: repeats collapse to the first
/// operation, inserted-then-deleted keys leave nothing, and counts stay as they were.
/// </summary>
public sealed class SyncCompactionTest
{
    [Fact]
    public async Task Repeats_collapse_to_the_first_operation_per_key()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE k (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("k", CancellationToken.None);
        h.Exec("INSERT INTO k VALUES (1, 1), (2, 2), (5, 5)");
        await h.Engine.SyncAsync(CancellationToken.None);

        h.Exec("UPDATE k SET v = 10 WHERE id = 1");
        h.Exec("UPDATE k SET v = 11 WHERE id = 1");
        h.Exec("DELETE FROM k WHERE id = 5");
        h.Exec("INSERT INTO k VALUES (3, 3)");
        h.Exec("DELETE FROM k WHERE id = 3");
        h.Exec("INSERT INTO k VALUES (4, 6)");
        h.Exec("UPDATE k SET v = 7 WHERE id = 4");

        var result = await h.Engine.SyncAsync(CancellationToken.None);

        Assert.Equal(7, result.EventsProcessed);
        Assert.Equal(1, result.RowsInserted);
        Assert.Equal(1, result.RowsUpdated);
        Assert.Equal(1, result.RowsDeleted);
        var rows = h.Olap("SELECT id, v FROM k ORDER BY id").Select(r => $"{r[0]}={r[1]}");
        Assert.Equal(["1=11", "2=2", "4=7"], rows);
    }

    [Fact]
    public async Task Many_repeats_of_integer_keys_across_batches_converge()
    {
        await using var h = await StartAsync(batchSize: 700);
        h.Exec("CREATE TABLE r (id INTEGER PRIMARY KEY, n INTEGER, s TEXT)");
        await h.Engine.RegisterTableAsync("r", CancellationToken.None);
        h.Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO r SELECT i, i, 'a' || i FROM n");
        h.Exec("UPDATE r SET n = n + 1 WHERE id % 2 = 0");
        h.Exec("UPDATE r SET n = n + 1, s = NULL WHERE id % 3 = 0");
        h.Exec("DELETE FROM r WHERE id % 5 = 0");
        h.Exec("INSERT OR REPLACE INTO r VALUES (7, -7, 'replaced')");

        var result = await h.Engine.SyncAsync(CancellationToken.None);

        Assert.Equal(h.SqliteScalar("SELECT count(*) FROM r"), h.OlapCount("r"));
        Assert.Equal(h.SqliteScalar("SELECT sum(n) FROM r"), Convert.ToInt64(h.Olap("SELECT sum(n) FROM r")[0][0], CultureInfo.InvariantCulture));
        Assert.Equal(h.SqliteScalar("SELECT count(s) FROM r"), Convert.ToInt64(h.Olap("SELECT count(s) FROM r")[0][0], CultureInfo.InvariantCulture));
        // The counts the compaction gave before integer keys were looked up by value.
        Assert.Equal((4067L, 1601L, 1333L, 700L), (result.EventsProcessed, result.RowsInserted, result.RowsUpdated, result.RowsDeleted));
    }
}
