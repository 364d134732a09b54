using System.Diagnostics;
using static Rhei.Data.Tests.FreshnessReads;

namespace Rhei.Data.Tests.Differential;

/// <summary>
/// Freshness of analytical reads: Strong never sees a stale mirror, Eventual with Max Staleness is stale for at most the
/// bound, and Eventual without a bound (and without the loop) stays stale until the application syncs.
/// </summary>
public sealed class FreshnessTest
{
    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    public void Strong_reads_after_every_write_are_current(int syncInterval)
    {
        using var db = TestDatabase.Create($"Sync Interval={syncInterval}");
        using var connection = db.Open();
        Execute(connection, "CREATE TABLE f (id INTEGER PRIMARY KEY, v INTEGER)");
        long total = 0;
        for (var k = 1; k <= 200; k++)
        {
            // Negative, zero and large values, so that a stale sum cannot equal the current one by accident.
            var value = k % 7 == 0 ? -k * 1_000_003L : k * 31L;
            Execute(connection, $"INSERT INTO f VALUES ({k}, {value})");
            total += value;
            var (count, sum, route) = Read(connection);
            Assert.Equal(RheiRoute.Olap, route);
            Assert.True(count == k && sum == total, $"iteration {k}: read ({count}, {sum}), expected ({k}, {total})");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(50)]
    public async Task Eventual_with_max_staleness_is_current_after_the_bound(int syncInterval)
    {
        using var db = TestDatabase.Create($"Sync Interval={syncInterval};Freshness=Eventual;Max Staleness=200");
        using var connection = db.Open();
        Execute(connection, "CREATE TABLE f (id INTEGER PRIMARY KEY, v INTEGER)");
        await connection.SyncAsync();
        for (var k = 1; k <= 4; k++)
        {
            Execute(connection, $"INSERT INTO f VALUES ({k}, {k})");
            var (immediate, _, route) = Read(connection);
            Assert.Equal(RheiRoute.Olap, route);
            Assert.True(immediate == k || immediate == k - 1, $"a read right after the write sees the mirror before or after it, not {immediate}");

            // The bound plus one loop cycle (and scheduling slack on a shared machine).
            var waited = Stopwatch.StartNew();
            await Task.Delay(200 + Math.Max(syncInterval, 10) + 50);
            Assert.True(waited.ElapsedMilliseconds > 200);
            var (count, sum, _) = Read(connection);
            Assert.Equal(k, count);
            Assert.Equal(k * (k + 1) / 2, sum);
        }
    }

    [Fact]
    public async Task Eventual_without_a_bound_or_loop_stays_stale_until_synced()
    {
        using var db = TestDatabase.Create("Sync Interval=0;Freshness=Eventual");
        using var connection = db.Open();
        Execute(connection, "CREATE TABLE f (id INTEGER PRIMARY KEY, v INTEGER)");
        Execute(connection, "INSERT INTO f VALUES (1, 10)");
        await connection.SyncAsync();
        Assert.Equal(1, Read(connection).Count);

        Execute(connection, "INSERT INTO f VALUES (2, 20)");
        await Task.Delay(300);
        var (stale, staleSum, route) = Read(connection);
        Assert.Equal(RheiRoute.Olap, route);
        Assert.Equal((1, 10), (stale, staleSum));

        // Freshness is the application's opt-in here: one sync and the next read is current.
        await connection.SyncAsync();
        Assert.Equal((2, 30), (Read(connection).Count, Read(connection).Sum));
    }
}
