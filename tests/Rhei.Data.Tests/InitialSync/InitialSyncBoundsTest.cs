using System.Globalization;
using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;
using Rhei.Data.Schema;
using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.InitialSync;

/// <summary>
/// The fixed costs around a load's rows: the rowid span of a parallel load is read off both ends of the b-tree (a
/// combined min/max made SQLite scan the whole table), and a load that crosses many appender flushes keeps every row.
/// </summary>
public sealed class InitialSyncBoundsTest
{
    [Fact]
    public async Task The_rowid_bounds_are_two_seeks_and_plan_blocks_from_the_first_to_the_last_rowid()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE b (id INTEGER PRIMARY KEY, n INTEGER)");
        h.Exec("INSERT INTO b VALUES (10, 1), (250000, 2), (500009, 3)");

        using var sqlite = new SqliteConnection($"Data Source={h.DbPath}");
        sqlite.Open();
        using var transaction = sqlite.BeginTransaction(deferred: true);
        using (var explain = sqlite.CreateCommand())
        {
            explain.Transaction = transaction;
            explain.CommandText = "EXPLAIN QUERY PLAN " + RowidBlocks.BoundsSql("rowid", "\"b\"");
            using var plan = explain.ExecuteReader();
            var details = new List<string>();
            while (plan.Read())
            {
                details.Add(plan.GetString(3));
            }

            Assert.Contains(details, d => d.StartsWith("SEARCH b", StringComparison.Ordinal));
            Assert.DoesNotContain(details, d => d.StartsWith("SCAN b", StringComparison.Ordinal));
        }

        var schema = new TableSchema(new RheiTableSchema("b", [new RheiColumn("id", "INTEGER", false), new RheiColumn("n", "INTEGER")], ["id"]));
        var blocks = RowidBlocks.TryPlan(sqlite, transaction, schema);
        Assert.NotNull(blocks);
        Assert.Equal(10, blocks[0].First);
        Assert.Equal(500_009, blocks[blocks.Count - 1].Last);
    }

    [Fact]
    public async Task An_empty_table_plans_no_blocks()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE e (id INTEGER PRIMARY KEY, n INTEGER)");
        using var sqlite = new SqliteConnection($"Data Source={h.DbPath}");
        sqlite.Open();
        using var transaction = sqlite.BeginTransaction(deferred: true);
        var schema = new TableSchema(new RheiTableSchema("e", [new RheiColumn("id", "INTEGER", false), new RheiColumn("n", "INTEGER")], ["id"]));
        Assert.Null(RowidBlocks.TryPlan(sqlite, transaction, schema));
    }

    [Theory]
    [InlineData(100_000)] // one reader: below the parallel threshold
    [InlineData(250_000)] // snapshot readers
    public async Task A_load_across_many_appender_flushes_holds_every_row_once_with_its_values(int rows)
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE f (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, note TEXT)");
        h.Exec($"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {rows}) INSERT INTO f SELECT i, i * 7, 'a longer note for row ' || i FROM s");
        await h.Engine.RegisterTableAsync(
            new RheiTableSchema("f", [new RheiColumn("id", "INTEGER", false), new RheiColumn("n", "INTEGER", false), new RheiColumn("note", "TEXT")], ["id"]),
            CancellationToken.None);

        for (var load = 0; load < 2; load++)
        {
            Assert.True(rows > 4 * MirrorLoader.FlushRows);
            Assert.Equal(rows, await h.Engine.InitialSyncAsync("f", null, CancellationToken.None));
            Assert.Equal(rows, h.OlapCount("f"));
            Assert.Empty(h.Olap("SELECT id FROM f GROUP BY id HAVING count(*) > 1"));
            foreach (var aggregate in new[] { "sum(id)", "sum(n)", "sum(length(note))", "sum(id * length(note))" })
            {
                Assert.Equal(h.SqliteScalar($"SELECT {aggregate} FROM f"), Convert.ToInt64(h.Olap($"SELECT {aggregate} FROM f")[0][0], CultureInfo.InvariantCulture));
            }
        }
    }
}
