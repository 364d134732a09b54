using Rhei.Data.Olap;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// A destructive batch with at most <see cref="MirrorRowStatements.RowLimit"/> new rows inserts them through the
/// table's cached one-row INSERT instead of an appender. Each test is a way that path could differ from the chunk path
/// or keep a statement it should have dropped.
/// </summary>
public sealed class ApplySmallBatchTest
{
    private const string Columns = "id INTEGER PRIMARY KEY, n INTEGER, r REAL, s TEXT, b BLOB, d DATETIME";

    // NULLs, the integer range's ends, reals (negative zero, the largest double, one that is not exact in binary),
    // empty, inline (≤ 12 bytes) and heap text and blobs, non-ASCII text, an embedded NUL, and a DATETIME column (kept as text).
    private static readonly string[] s_rows =
    [
        "(1, NULL, NULL, NULL, NULL, NULL)",
        "(2, 9223372036854775807, -0.0, '', x'', '2026-12-03')",
        "(3, -9223372036854775808, 1.7976931348623157e308, 'Grüße, 日本語 🎉 and a longer tail', x'00ff00ff00ff00ff00ff00ff00ff', '2026-12-03T07:45:00.123+01:00')",
        "(4, 0, 0.1, 'é' || char(0) || 'x', x'00', '')",
    ];

    [Fact]
    public async Task A_small_batch_gives_the_same_rows_and_clr_types_as_the_chunk_path()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec($"CREATE TABLE small ({Columns})");
        h.Exec($"CREATE TABLE big ({Columns})");
        await h.Engine.RegisterTableAsync("small", CancellationToken.None);
        await h.Engine.RegisterTableAsync("big", CancellationToken.None);
        await h.Engine.SyncAsync(CancellationToken.None);

        h.Exec($"INSERT INTO small VALUES {string.Join(", ", s_rows)}");
        await h.Engine.SyncAsync(CancellationToken.None);
        Assert.Equal(s_rows.Length, h.Engine.MirrorRowStatements.RowsInserted);

        // The same rows and enough others to take the appender.
        h.Exec($"INSERT INTO big VALUES {string.Join(", ", s_rows)}");
        h.Exec("WITH RECURSIVE k(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM k WHERE i < 110) INSERT INTO big (id) SELECT i FROM k");
        await h.Engine.SyncAsync(CancellationToken.None);
        Assert.Equal(s_rows.Length, h.Engine.MirrorRowStatements.RowsInserted);

        var small = Typed(h.Olap("SELECT * FROM small ORDER BY id"));
        Assert.Equal(Typed(h.Olap("SELECT * FROM big WHERE id < 100 ORDER BY id")), small);
        Assert.Equal(Typed(h.SqliteRows("SELECT * FROM small ORDER BY id")), small);
        Assert.Equal(
            ["BIGINT", "BIGINT", "DOUBLE", "VARCHAR", "BLOB"],
            h.Olap("SELECT data_type FROM information_schema.columns WHERE table_name = 'small' ORDER BY ordinal_position").Take(5).Select(r => (string)r[0]!));
        Assert.Equal(
            h.Olap("SELECT data_type FROM information_schema.columns WHERE table_name = 'big' ORDER BY ordinal_position").Select(r => r[0]),
            h.Olap("SELECT data_type FROM information_schema.columns WHERE table_name = 'small' ORDER BY ordinal_position").Select(r => r[0]));
    }

    [Fact]
    public async Task The_statement_is_prepared_once_across_batches_and_again_after_each_change_of_columns()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        await h.Engine.SyncAsync(CancellationToken.None);
        var inserts = h.Engine.MirrorRowStatements;

        for (var i = 1; i <= 3; i++)
        {
            h.Exec("INSERT INTO t VALUES ($p1, $p2)", i, "v" + i);
            h.Exec("UPDATE t SET v = v || '!' WHERE id = 1");
            await h.Engine.SyncAsync(CancellationToken.None);
        }

        // The INSERT, and the UPDATE of the first batch: one kept row, updated in place or, new here, inserted.
        Assert.Equal(2, inserts.Prepared);
        Assert.Equal(5, inserts.RowsInserted);
        Assert.Equal(["1=v1!!!", "2=v2", "3=v3"], h.Olap("SELECT id, v FROM t ORDER BY id").Select(r => $"{r[0]}={r[1]}"));

        await using (await h.Engine.BeginSchemaChangeAsync("t", CancellationToken.None))
        {
            h.Exec("ALTER TABLE t ADD COLUMN w REAL");
        }

        h.Exec("INSERT INTO t VALUES (4, 'v4', 2.5)");
        h.Exec("UPDATE t SET w = 1 WHERE id = 2");
        await h.Engine.SyncAsync(CancellationToken.None);
        Assert.Equal(3, inserts.Prepared);
        Assert.Equal(["1=v1!!!=", "2=v2=1", "3=v3=", "4=v4=2.5"], h.Olap("SELECT id, v, w FROM t ORDER BY id").Select(r => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{r[0]}={r[1]}={r[2]}")));

        // Dropped and created again with other columns, under the same name (and another case of it).
        await using (await h.Engine.BeginSchemaChangeAsync("t", CancellationToken.None))
        {
            h.Exec("DROP TABLE t");
        }

        h.Exec("CREATE TABLE T (id INTEGER PRIMARY KEY, data BLOB, amount REAL, label TEXT, extra INTEGER)");
        await h.Engine.RegisterTableAsync("T", CancellationToken.None);
        h.Exec("INSERT INTO T VALUES (1, x'abcd', 3, 'one', NULL), (2, NULL, NULL, 'two', 7)");
        await h.Engine.SyncAsync(CancellationToken.None);
        Assert.Equal(4, inserts.Prepared);
        Assert.Equal(
            [[1L, new byte[] { 0xab, 0xcd }, 3.0, "one", null], [2L, null, null, "two", 7L]],
            h.Olap("SELECT * FROM T ORDER BY id"));
    }

    [Theory]
    [InlineData(MirrorRowStatements.RowLimit, true)]
    [InlineData(MirrorRowStatements.RowLimit + 1, false)]
    public async Task A_batch_above_the_limit_takes_the_chunk_path(int rows, bool statement)
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        h.Exec("INSERT INTO t VALUES (1, 'old'), (2, 'gone')");
        await h.Engine.SyncAsync(CancellationToken.None);
        var before = h.Engine.MirrorRowStatements.RowsInserted;

        // One updated row, one deleted row (no image), the rest inserted: `rows` new images in all.
        h.Exec("UPDATE t SET v = 'new' WHERE id = 1");
        h.Exec("DELETE FROM t WHERE id = 2");
        h.Exec($"WITH RECURSIVE k(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM k WHERE i < {9 + rows - 1}) INSERT INTO t SELECT i, 'v' || i FROM k");
        await h.Engine.SyncAsync(CancellationToken.None);

        Assert.Equal(statement ? rows : 0, h.Engine.MirrorRowStatements.RowsInserted - before);
        Assert.Equal(
            h.SqliteRows("SELECT id, v FROM t ORDER BY id").Select(r => $"{r[0]}={r[1]}"),
            h.Olap("SELECT id, v FROM t ORDER BY id").Select(r => $"{r[0]}={r[1]}"));
    }
}
