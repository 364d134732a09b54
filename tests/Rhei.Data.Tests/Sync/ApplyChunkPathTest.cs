using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// The apply path of round four: the rows and versions a batch reads from SQLite go into DuckDB data chunks cell by
/// cell (no boxed row), keys are deduplicated by a typed key map. Each test is an edge that path could get wrong.
/// </summary>
public sealed class ApplyChunkPathTest
{
    [Theory]
    [InlineData(RheiSyncMode.Destructive)]
    [InlineData(RheiSyncMode.Temporal)]
    public async Task Many_chunks_of_rows_with_nulls_long_and_short_text_and_blobs_arrive_exactly(RheiSyncMode mode)
    {
        // 5,000 rows is three data chunks of 2,048; NULLs, inline (≤ 12 bytes) and heap text, blobs, reals in every chunk.
        await using var h = await StartAsync(mode, batchSize: 100_000);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, r REAL, s TEXT, b BLOB)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        h.Exec("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
            INSERT INTO t SELECT i,
                CASE WHEN i % 7 = 0 THEN NULL ELSE i * 3 END,
                CASE WHEN i % 11 = 0 THEN NULL ELSE i / 4.0 END,
                CASE WHEN i % 13 = 0 THEN NULL WHEN i % 2 = 0 THEN 's' || i ELSE 'a longer text value ' || i END,
                CASE WHEN i % 17 = 0 THEN NULL ELSE randomblob(1 + i % 40) END
            FROM n
            """);
        await h.Engine.SyncAsync(CancellationToken.None);

        const string check = "count(*), count(n), sum(n), count(r), sum(r), count(s), sum(length(s)), count(b), sum({0}(b))";
        var current = mode == RheiSyncMode.Temporal ? " WHERE _rhei_valid_to IS NULL" : string.Empty;
        var expected = Row(SqliteRow(h, $"SELECT {string.Format(System.Globalization.CultureInfo.InvariantCulture, check, "length")}, group_concat(s, '') FROM (SELECT * FROM t ORDER BY id)"));
        Assert.Equal(expected, Row(h.Olap($"SELECT {string.Format(System.Globalization.CultureInfo.InvariantCulture, check, "octet_length")}, string_agg(s, '' ORDER BY id) FROM t{current}")[0]));
        Assert.Equal(
            SqliteRow(h, "SELECT hex(b) FROM t WHERE id = 4999")[0],
            Convert.ToHexString((byte[])h.Olap($"SELECT b FROM t WHERE id = 4999{(mode == RheiSyncMode.Temporal ? " AND _rhei_valid_to IS NULL" : string.Empty)}")[0][0]!));

        // Every row again, NULLs where values were and values where NULLs were: a chunk's validity must not carry over.
        h.Exec("UPDATE t SET n = CASE WHEN n IS NULL THEN id ELSE NULL END, s = CASE WHEN s IS NULL THEN 'was null ' || id ELSE NULL END");
        await h.Engine.SyncAsync(CancellationToken.None);
        expected = Row(SqliteRow(h, $"SELECT {string.Format(System.Globalization.CultureInfo.InvariantCulture, check, "length")}, group_concat(s, '') FROM (SELECT * FROM t ORDER BY id)"));
        Assert.Equal(expected, Row(h.Olap($"SELECT {string.Format(System.Globalization.CultureInfo.InvariantCulture, check, "octet_length")}, string_agg(s, '' ORDER BY id) FROM t{current}")[0]));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(65)]
    public async Task A_small_batch_deletes_its_listed_keys_and_a_larger_one_its_staged_keys_with_the_same_rows(int keys)
    {
        // Up to 64 integer keys the DELETE lists them; one more and it joins a staging table. Keys at the ends of
        // the integer range, negative ones and zero; updated, deleted and inserted rows in one batch.
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        h.Exec("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
            INSERT INTO t SELECT i - 100, 'v' || i FROM n;
            INSERT INTO t VALUES (-9223372036854775808, 'min'), (9223372036854775807, 'max');
            """);
        await h.Engine.SyncAsync(CancellationToken.None);

        // keys - 4 updates, 2 deletes (the range's ends), 2 inserts: exactly `keys` distinct keys in the batch.
        h.Exec($"UPDATE t SET v = 'new ' || id WHERE id BETWEEN -99 AND {keys - 104}");
        h.Exec("DELETE FROM t WHERE id IN (-9223372036854775808, 9223372036854775807)");
        h.Exec("INSERT INTO t VALUES (1000, 'a'), (1001, 'b')");
        var result = await h.Engine.SyncAsync(CancellationToken.None);

        Assert.Equal(keys, result.EventsProcessed);
        Assert.Equal(
            SqliteRow(h, "SELECT count(*), sum(id), group_concat(v, ',') FROM (SELECT * FROM t ORDER BY id)").Select(v => v?.ToString()),
            h.Olap("SELECT count(*), sum(id), string_agg(v, ',' ORDER BY id) FROM t")[0].Select(v => v?.ToString()));
    }

    [Fact]
    public async Task A_key_logged_many_times_in_one_batch_is_one_row_and_a_key_inserted_and_deleted_is_none()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        h.Exec("INSERT INTO t VALUES (1, 'one'), (2, 'two')");
        await h.Engine.SyncAsync(CancellationToken.None);

        h.Exec("UPDATE t SET v = 'uno' WHERE id = 1");
        h.Exec("UPDATE t SET v = 'eins, a value longer than twelve bytes' WHERE id = 1");
        h.Exec("INSERT INTO t VALUES (3, 'three')");
        h.Exec("UPDATE t SET v = 'drei' WHERE id = 3");
        h.Exec("INSERT INTO t VALUES (4, 'four')");
        h.Exec("DELETE FROM t WHERE id = 4");
        h.Exec("INSERT OR REPLACE INTO t VALUES (2, 'zwei')");
        var result = await h.Engine.SyncAsync(CancellationToken.None);

        Assert.Equal(7, result.EventsProcessed);
        Assert.Equal(
            ["1=eins, a value longer than twelve bytes", "2=zwei", "3=drei"],
            h.Olap("SELECT id, v FROM t ORDER BY id").Select(r => $"{r[0]}={r[1]}"));
        // Counted by each key's first operation: 3 and 2 (INSERT OR REPLACE logs an insert) inserted, 1 updated, 4 never seen.
        Assert.Equal((2L, 1L, 0L), (result.RowsInserted, result.RowsUpdated, result.RowsDeleted));
    }

    [Fact]
    public async Task A_text_key_that_looks_like_an_integer_stays_text_and_apart_from_its_neighbours()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);

        // TEXT affinity turns 5 into '5'; '05' and '5.0' are other keys.
        h.Exec("INSERT INTO t VALUES (5, 1), ('05', 2), ('5.0', 3)");
        h.Exec("UPDATE t SET v = v + 10 WHERE k = '5'");
        h.Exec("UPDATE t SET v = v + 10 WHERE k = 5");
        await h.Engine.SyncAsync(CancellationToken.None);

        Assert.Equal(["05=2", "5=21", "5.0=3"], h.Olap("SELECT k, v FROM t ORDER BY k").Select(r => $"{r[0]}={r[1]}"));
        Assert.All(h.Olap("SELECT k FROM t"), r => Assert.IsType<string>(r[0]));

        h.Exec("DELETE FROM t WHERE k = 5");
        await h.Engine.SyncAsync(CancellationToken.None);
        Assert.Equal(["05", "5.0"], h.Olap("SELECT k FROM t ORDER BY k").Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task A_key_matched_under_nocase_is_kept_as_the_row_holds_it()
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE t (k TEXT COLLATE NOCASE PRIMARY KEY, v INTEGER) WITHOUT ROWID");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        h.Exec("INSERT INTO t VALUES ('Abc', 1)");
        h.Exec("UPDATE t SET v = 2 WHERE k = 'abc'");
        h.Exec("UPDATE t SET v = 3 WHERE k = 'ABC'");
        await h.Engine.SyncAsync(CancellationToken.None);

        Assert.Equal(["Abc=3"], h.Olap("SELECT k, v FROM t").Select(r => $"{r[0]}={r[1]}"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_misfit_value_read_from_a_cell_quarantines_the_table_naming_column_value_and_key(bool firstInBatch)
    {
        await using var h = await StartAsync(batchSize: 1000);
        h.Exec("CREATE TABLE other (id INTEGER PRIMARY KEY, v INTEGER)");
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, amount REAL, label TEXT)");
        await h.Engine.RegisterTableAsync("other", CancellationToken.None);
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        await h.Engine.SyncAsync(CancellationToken.None);

        // The table is read with the log when its event comes first, by a second statement otherwise.
        if (!firstInBatch)
        {
            h.Exec("INSERT INTO other VALUES (1, 1)");
        }

        h.Exec("INSERT INTO t VALUES (1, 1.5, 'fine'), (2, 2.5, 'fine')");
        h.Exec("INSERT INTO t VALUES (42, 'not a number', 'x')");
        h.Exec("INSERT INTO other VALUES (2, 2)");
        await h.Engine.SyncAsync(CancellationToken.None);

        Assert.True(h.Engine.IsQuarantined("t"));
        var reason = h.Engine.QuarantineReason("t")!;
        Assert.Contains("'amount'", reason, StringComparison.Ordinal);
        Assert.Contains("TEXT value", reason, StringComparison.Ordinal);
        var status = (await h.Engine.GetStatusAsync(CancellationToken.None)).Tables.Single(s => s.Table == "t");
        Assert.Equal("(42)", status.OffendingKey);
        Assert.False(h.Engine.IsQuarantined("other"));
        Assert.Equal(firstInBatch ? 1 : 2, h.OlapCount("other"));
    }

    [Fact]
    public async Task A_temporal_image_whose_value_does_not_fit_quarantines_naming_it()
    {
        await using var h = await StartAsync(RheiSyncMode.Temporal, batchSize: 1000);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, label TEXT)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        h.Exec("INSERT INTO t VALUES (1, 1, 'a'), (2, 2, 'b')");
        h.Exec("UPDATE t SET n = 2.5 WHERE id = 2");
        await h.Engine.SyncAsync(CancellationToken.None);

        Assert.True(h.Engine.IsQuarantined("t"));
        Assert.Contains("'n'", h.Engine.QuarantineReason("t")!, StringComparison.Ordinal);
        Assert.Contains("REAL value", h.Engine.QuarantineReason("t")!, StringComparison.Ordinal);
        Assert.Equal("(2)", (await h.Engine.GetStatusAsync(CancellationToken.None)).Tables.Single(s => s.Table == "t").OffendingKey);
    }

    [Fact]
    public async Task Temporal_versions_of_a_key_logged_many_times_in_one_batch_chain_in_log_order()
    {
        await using var h = await StartAsync(RheiSyncMode.Temporal, batchSize: 1000);
        h.Exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER, note TEXT)");
        await h.Engine.RegisterTableAsync("t", CancellationToken.None);
        h.Exec("INSERT INTO t VALUES ('a', 1, NULL), ('b', 1, 'a note longer than twelve bytes')");
        h.Exec("UPDATE t SET v = 2 WHERE k = 'a'");
        h.Exec("UPDATE t SET v = 3, note = 'now' WHERE k = 'a'");
        h.Exec("DELETE FROM t WHERE k = 'b'");
        await h.Engine.SyncAsync(CancellationToken.None);

        var versions = h.Olap("SELECT k, v, note, _rhei_operation, _rhei_valid_from, _rhei_valid_to FROM t ORDER BY k, v");
        Assert.Equal(["a/1//I", "a/2//U", "a/3/now/U", "b/1/a note longer than twelve bytes/I"], versions.Select(r => $"{r[0]}/{r[1]}/{r[2]}/{r[3]}"));
        Assert.Equal(versions[1][4], versions[0][5]);
        Assert.Equal(versions[2][4], versions[1][5]);
        Assert.Null(versions[2][5]);
        Assert.NotNull(versions[3][5]);
    }

    private static object?[] SqliteRow(ReplicationHarness h, string sql)
    {
        using var connection = h.OpenSqlite();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        var row = new object?[reader.FieldCount];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return row;
    }

    private static string Row(object?[] values) => string.Join("|", values.Select(v => v switch
    {
        null or DBNull => "NULL",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString(),
    }));
}
