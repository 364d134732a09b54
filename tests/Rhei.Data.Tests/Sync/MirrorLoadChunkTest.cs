using System.Globalization;
using Microsoft.Data.Sqlite;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// The initial load writes SQLite's values straight into DuckDB data chunks: the temporal columns it fills per
/// chunk, text that is not well-formed UTF-8, and NULLs that must not leak into the next chunk of a reused batch.
/// </summary>
public sealed class MirrorLoadChunkTest
{
    private const int Rows = 10_000;

    [Fact]
    public async Task Temporal_load_opens_one_current_insert_version_per_row_across_chunks()
    {
        await using var h = await StartAsync(RheiSyncMode.Temporal);
        h.Exec("CREATE TABLE v (id INTEGER PRIMARY KEY, name TEXT)");
        h.Exec($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO v SELECT i, 'name number ' || i FROM n");
        await h.Engine.RegisterTableAsync("v", CancellationToken.None);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(Rows, await h.Engine.InitialSyncAsync("v", null, CancellationToken.None));

        var row = Assert.Single(h.Olap(
            "SELECT count(*), count(DISTINCT _rhei_valid_from), min(_rhei_valid_from), count(_rhei_valid_to), "
            + "count(*) FILTER (WHERE _rhei_operation = 'I'), count(*) FILTER (WHERE name = 'name number ' || id) FROM v WHERE _rhei_valid_to IS NULL"));
        Assert.Equal(Rows, Convert.ToInt64(row[0], CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(row[1], CultureInfo.InvariantCulture));
        Assert.True(Convert.ToInt64(row[2], CultureInfo.InvariantCulture) >= before);
        Assert.Equal(0L, Convert.ToInt64(row[3], CultureInfo.InvariantCulture));
        Assert.Equal(Rows, Convert.ToInt64(row[4], CultureInfo.InvariantCulture));
        Assert.Equal(Rows, Convert.ToInt64(row[5], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Ill_formed_utf8_text_loads_as_sqlite_decodes_it_and_nulls_stay_in_their_rows()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE u (id INTEGER PRIMARY KEY, t TEXT, n INTEGER)");

        // Every third row of the first chunk is NULL, none of the second: a reused chunk must not keep the mask.
        h.Exec($"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO u SELECT i, CASE WHEN i <= 2048 AND i % 3 = 0 THEN NULL ELSE 'text of row ' || i END, CASE WHEN i <= 2048 AND i % 3 = 0 THEN NULL ELSE i END FROM n");
        h.Exec("UPDATE u SET t = CAST(x'61ff62c3' AS TEXT) WHERE id = 5000");
        h.Exec("UPDATE u SET t = CAST(x'e282ac2d2d2d2d2d2d2d2d2d2d2d2d2d2dc0' AS TEXT) WHERE id = 5001");
        string expectedShort, expectedLong;
        using (var sqlite = new SqliteConnection($"Data Source={h.DbPath}"))
        {
            sqlite.Open();
            using var command = new SqliteCommand("SELECT t FROM u WHERE id IN (5000, 5001) ORDER BY id", sqlite);
            using var reader = command.ExecuteReader();
            reader.Read();
            expectedShort = reader.GetString(0);
            reader.Read();
            expectedLong = reader.GetString(0);
        }

        await h.Engine.RegisterTableAsync("u", CancellationToken.None);
        Assert.Equal(Rows, await h.Engine.InitialSyncAsync("u", null, CancellationToken.None));

        Assert.Equal("a\uFFFDb\uFFFD", expectedShort);
        Assert.Equal(expectedShort, h.Olap("SELECT t FROM u WHERE id = 5000")[0][0]);
        Assert.Equal(expectedLong, h.Olap("SELECT t FROM u WHERE id = 5001")[0][0]);
        Assert.Equal(682L, Convert.ToInt64(h.Olap("SELECT count(*) FROM u WHERE t IS NULL AND n IS NULL")[0][0], CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(h.Olap("SELECT count(*) FROM u WHERE id > 2048 AND (t IS NULL OR n IS NULL OR t <> 'text of row ' || id) AND id NOT IN (5000, 5001)")[0][0], CultureInfo.InvariantCulture));
    }
}
