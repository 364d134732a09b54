using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rhei.Data.Diagnostics;
using static Rhei.Data.Tests.FreshnessReads;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// Issue 12, the read path, round four: what the background loop leaves out of a Strong read's way. A commit that wakes
/// the loop but left nothing in the change log starts no cycle (the probe says so), and a Strong read's catch-up beside a
/// running loop leaves the consumer position and the prune to the loop, which writes them by its next interval.
/// </summary>
public sealed class FreshnessLoopTest
{
    [Fact]
    public async Task A_commit_that_leaves_nothing_in_the_change_log_wakes_the_loop_without_running_a_cycle()
    {
        // Ten minutes between cycles: every background cycle in the window below comes from a wake-up.
        using var db = TestDatabase.Create("Sync Interval=600000");
        using var connection = db.Open();
        Execute(connection, "CREATE TABLE f (id INTEGER PRIMARY KEY, v INTEGER)");
        // No primary key: not replicated, so its writes commit through Rhei (and wake the loop) but log nothing.
        Execute(connection, "CREATE TABLE scratch (x)");
        Execute(connection, "INSERT INTO f VALUES (1, 41)");
        Assert.Equal((1L, 41L, RheiRoute.Olap), Read(connection));
        using var cycles = new CycleCounter(connection.Options.DiagnosticsName);
        // The loop was woken by the writes above: wait until its cycles have settled (one that began before the window
        // but ended late, on a loaded machine, would otherwise be counted in it).
        int before;
        var settling = Stopwatch.StartNew();
        do
        {
            before = cycles.Background;
            await Task.Delay(200);
        }
        while (cycles.Background != before && settling.Elapsed < TimeSpan.FromSeconds(10));

        for (var i = 0; i < 20; i++)
        {
            Execute(connection, $"INSERT INTO scratch VALUES ({i})");
            await Task.Delay(10);
        }

        // A woken loop used to run a cycle per wake, then look again after 1, 2, 4 … ms with a cycle each time.
        await Task.Delay(300);
        Assert.Equal(before, cycles.Background);

        // A commit that did log a change is still taken by the woken loop, long before the interval.
        Execute(connection, "INSERT INTO f VALUES (2, 1)");
        var deadline = Stopwatch.StartNew();
        while (MirrorCount(connection) < 2 && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(5);
        }

        Assert.Equal(2, MirrorCount(connection));
        Assert.True(cycles.Background > before, "the woken loop ran no cycle for a logged commit");
    }

    [Fact]
    public async Task A_catch_up_beside_the_loop_leaves_the_consumer_position_to_the_loop_which_writes_it_and_prunes()
    {
        using var db = TestDatabase.Create("Sync Interval=1000");
        using var connection = db.Open();
        CreateReplicatedRow(connection);
        var replication = connection.Engine.Replication!;
        using var cycles = new CycleCounter(connection.Options.DiagnosticsName);
        // A writer Rhei cannot see wakes no loop: the Strong read's own catch-up applies its row.
        using var foreign = new SqliteConnection($"Data Source={db.Path}");
        foreign.Open();

        var deferred = false;
        for (var attempt = 0; attempt < 5 && !deferred; attempt++)
        {
            var acknowledged = ConsumerPosition(foreign, replication.ConsumerId);
            var background = cycles.Background;
            using (var write = foreign.CreateCommand())
            {
                write.CommandText = $"INSERT INTO f VALUES ({attempt + 2}, 1)";
                write.ExecuteNonQuery();
            }

            var read = Read(connection);
            var position = ConsumerPosition(foreign, replication.ConsumerId);
            Assert.Equal((attempt + 2L, 41L + attempt + 1, RheiRoute.Olap), read);
            // An interval cycle that ran in between (counted once it ends) writes the position itself: try again.
            await Task.Delay(50);
            if (cycles.Background == background)
            {
                Assert.Equal(acknowledged, position);
                Assert.True(replication.Watermark > position, "the catch-up applied nothing past the written position");
                deferred = true;
            }
        }

        Assert.True(deferred, "every attempt met an interval cycle");

        // The loop's next cycle writes the position and prunes what the catch-up applied.
        var deadline = Stopwatch.StartNew();
        while (ConsumerPosition(foreign, replication.ConsumerId) < replication.Watermark && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        Assert.Equal(replication.Watermark, ConsumerPosition(foreign, replication.ConsumerId));
        deadline.Restart();
        // A drained log keeps its last event, so sequence numbers never go back (CdcLogPruner).
        while (LogCount(foreign) > 1 && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, LogCount(foreign));
    }

    [Fact]
    public async Task Strong_reads_that_never_stop_neither_hold_a_writer_back_nor_keep_the_loop_from_pruning()
    {
        // Two readers run Strong reads back to back while a third connection writes, so a reader waits on most cycles,
        // and a background cycle leaves its bookkeeping to a later one while one does. The writer must keep committing and
        // the log must still be pruned while the reads go on. (BookkeepingOverdue bounds the deferral at about a second;
        // here the cycles that find no reader waiting already prune, so this does not force that bound.)
        using var db = TestDatabase.Create("Sync Interval=100");
        using var writer = db.Open();
        CreateReplicatedRow(writer);
        using var foreign = new SqliteConnection($"Data Source={db.Path}");
        foreign.Open();

        using var stop = new CancellationTokenSource();
        // Threads of their own: two loops blocking pool threads would leave the writer's continuations waiting for the
        // pool to grow (half a second a write on two cores), which is the test's own starvation, not the provider's.
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            using var reader = db.Open();
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                Assert.Equal(RheiRoute.Olap, Read(reader).Route);
                reads++;
            }

            return reads;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        var written = 1L;
        var smallestLog = long.MaxValue;
        var running = Stopwatch.StartNew();
        while (running.Elapsed < TimeSpan.FromSeconds(5))
        {
            written++;
            Execute(writer, $"INSERT INTO f VALUES ({written}, 1)");
            await Task.Delay(2);
            if (running.Elapsed > TimeSpan.FromSeconds(3))
            {
                smallestLog = Math.Min(smallestLog, LogCount(foreign));
            }
        }

        await stop.CancelAsync();
        var reads = await Task.WhenAll(readers);
        Assert.True(written > 50 && reads.All(r => r > 20), $"{written} writes and {string.Join("/", reads)} reads in five seconds");
        Assert.True(smallestLog < written / 2, $"the log kept {smallestLog} of {written} events while the reads ran");
    }

    private static long ConsumerPosition(SqliteConnection connection, string consumerId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT watermark FROM _rhei_consumers WHERE id = $id";
        command.Parameters.AddWithValue("$id", consumerId);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long LogCount(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM _rhei_cdc_log";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long MirrorCount(RheiConnection connection)
    {
        using var session = connection.Engine.DuckDb!.Connect();
        using var reader = session.Query("SELECT count(*) FROM f");
        Assert.True(reader.Read());
        return reader.GetInt64(0);
    }

    /// <summary>Counts the background sync cycles of one data source (by its trace name) from the provider's activities.</summary>
    /// <summary>Table f with one row, replicated and read once on the Strong path: the mirror is live and caught up.</summary>
    private static void CreateReplicatedRow(RheiConnection connection)
    {
        Execute(connection, "CREATE TABLE f (id INTEGER PRIMARY KEY, v INTEGER)");
        Execute(connection, "INSERT INTO f VALUES (1, 41)");
        Assert.Equal((1L, 41L, RheiRoute.Olap), Read(connection));
    }

    private sealed class CycleCounter : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<string> _triggers = new();

        public CycleCounter(string dataSource)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == RheiDiagnostics.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStopped = activity =>
                {
                    if (activity.OperationName == "rhei.sync.cycle" && Equals(activity.GetTagItem(RheiDiagnostics.Namespace), dataSource))
                    {
                        _triggers.Enqueue(activity.GetTagItem(RheiDiagnostics.SyncTrigger) as string ?? string.Empty);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public int Background => _triggers.Count(t => t == "background");

        public void Dispose() => _listener.Dispose();
    }
}
