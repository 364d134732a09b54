using System.Globalization;
using Rhei.Data.Olap;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// A destructive batch that changed one row of a table keyed by one INTEGER column is one DuckDB statement without a
/// transaction around it (<see cref="MirrorRowStatements.TryUpsertOne"/>): an UPDATE by the logged key, or an INSERT
/// when the mirror has no row with it. Each test is a way that path could leave the mirror different from SQLite.
/// </summary>
public sealed class MirrorInPlaceUpdateTest
{
    private const string Columns = "id INTEGER PRIMARY KEY, n INTEGER, r REAL, s TEXT, b BLOB";

    [Fact]
    public async Task A_one_row_update_is_made_in_place_with_every_value_and_clr_type_sqlite_holds()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec($"CREATE TABLE t ({Columns})");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        h.Exec("INSERT INTO t VALUES (1, 1, 1.5, 'one', x'01'), (2, 2, 2.5, 'two', x'02')");
        await h.Engine.SyncAsync(CancellationToken.None);
        var statements = h.Engine.MirrorRowStatements;

        // To NULLs, then to the ends of each range, heap text and an embedded NUL: each its own one-row batch.
        string[] updates =
        [
            "UPDATE t SET n = NULL, r = NULL, s = NULL, b = NULL WHERE id = 1",
            "UPDATE t SET n = 9223372036854775807, r = -0.0, s = 'Grüße, 日本語 🎉 and a longer tail', b = x'00ff00ff00ff00ff00ff00ff00ff' WHERE id = 1",
            "UPDATE t SET n = -9223372036854775808, r = 1.7976931348623157e308, s = 'é' || char(0) || 'x', b = x'' WHERE id = 2",
        ];
        foreach (var update in updates)
        {
            var before = statements.RowsUpdated;
            h.Exec(update);
            await h.Engine.SyncAsync(CancellationToken.None);
            Assert.Equal(before + 1, statements.RowsUpdated);
            Assert.Equal(Typed(h.SqliteRows("SELECT * FROM t ORDER BY id")), Typed(h.Olap("SELECT * FROM t ORDER BY id")));
        }

        Assert.Equal(2, h.OlapCount("t"));
    }

    [Fact]
    public async Task A_one_row_insert_of_a_new_key_falls_back_to_the_insert_and_a_lone_delete_takes_the_transaction()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        await h.Engine.SyncAsync(CancellationToken.None);
        var statements = h.Engine.MirrorRowStatements;

        h.Exec("INSERT INTO t VALUES (7, 'seven')");
        await h.Engine.SyncAsync(CancellationToken.None);
        Assert.Equal((0L, 1L), (statements.RowsUpdated, statements.RowsInserted));

        // Inserted, updated and deleted again in one batch: the key has no image, nothing to update or insert.
        h.Exec("INSERT INTO t VALUES (8, 'eight')");
        h.Exec("UPDATE t SET v = 'VIII' WHERE id = 8");
        h.Exec("DELETE FROM t WHERE id = 8");
        h.Exec("DELETE FROM t WHERE id = 7");
        await h.Engine.SyncAsync(CancellationToken.None);
        Assert.Equal((0L, 1L), (statements.RowsUpdated, statements.RowsInserted));
        Assert.Equal(0, h.OlapCount("t"));

        // A replaced row logs an insert only (no delete trigger fires for REPLACE): the UPDATE finds and overwrites it.
        h.Exec("INSERT INTO t VALUES (9, 'nine')");
        await h.Engine.SyncAsync(CancellationToken.None);
        h.Exec("INSERT OR REPLACE INTO t VALUES (9, 'NINE')");
        await h.Engine.SyncAsync(CancellationToken.None);
        Assert.Equal(["9=NINE"], h.Olap("SELECT id, v FROM t ORDER BY id").Select(r => $"{r[0]}={r[1]}"));
    }

    [Fact]
    public async Task A_key_changed_by_an_update_deletes_the_old_row_and_keeps_one_copy_of_the_new()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        h.Exec("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        await h.Engine.SyncAsync(CancellationToken.None);

        h.Exec("UPDATE t SET id = 50 WHERE id = 1");
        await h.Engine.SyncAsync(CancellationToken.None);
        Assert.Equal(["2=b", "50=a"], h.Olap("SELECT id, v FROM t ORDER BY id").Select(r => $"{r[0]}={r[1]}"));
    }

    [Fact]
    public async Task The_prepared_update_stays_right_after_the_table_grew_a_thousandfold()
    {
        await using var h = await StartAsync(batchSize: 100_000);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        h.Exec("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e')");
        await h.Engine.SyncAsync(CancellationToken.None);
        h.Exec("UPDATE t SET v = 'first' WHERE id = 3");
        await h.Engine.SyncAsync(CancellationToken.None);
        var prepared = h.Engine.MirrorRowStatements.Prepared;

        h.Exec("WITH RECURSIVE k(i) AS (SELECT 6 UNION ALL SELECT i + 1 FROM k WHERE i < 5000) INSERT INTO t SELECT i, 'v' || i FROM k");
        await h.Engine.SyncAsync(CancellationToken.None);
        foreach (var id in new[] { 4999, 3, 2500 })
        {
            h.Exec("UPDATE t SET v = 'changed ' || id WHERE id = $p1", id);
            await h.Engine.SyncAsync(CancellationToken.None);
        }

        Assert.Equal(prepared, h.Engine.MirrorRowStatements.Prepared);
        Assert.Equal(5000, h.OlapCount("t"));
        Assert.Equal(
            h.SqliteRows("SELECT id, v FROM t WHERE v LIKE 'changed%' ORDER BY id").Select(r => $"{r[0]}={r[1]}"),
            h.Olap("SELECT id, v FROM t WHERE v LIKE 'changed%' ORDER BY id").Select(r => $"{r[0]}={r[1]}"));
        Assert.Equal(3, h.Olap("SELECT count(*) FROM t WHERE v LIKE 'changed%'")[0][0] is long n ? n : -1);
        Assert.Equal(h.SqliteScalar("SELECT sum(length(v)) FROM t"), Convert.ToInt64(h.Olap("SELECT sum(length(v)) FROM t")[0][0], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_durable_mirror_keeps_its_one_row_batches_in_a_transaction_with_the_stored_position()
    {
        await using var h = await StartAsync(durable: true, batchSize: 1000);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        h.Exec("INSERT INTO t VALUES (1, 'a')");
        await h.Engine.SyncAsync(CancellationToken.None);
        h.Exec("UPDATE t SET v = 'b' WHERE id = 1");
        await h.Engine.SyncAsync(CancellationToken.None);

        Assert.Equal(0, h.Engine.MirrorRowStatements.RowsUpdated);
        Assert.Equal(["1=b"], h.Olap("SELECT id, v FROM t").Select(r => $"{r[0]}={r[1]}"));
    }
}
