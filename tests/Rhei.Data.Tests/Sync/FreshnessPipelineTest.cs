using static Rhei.Data.Tests.FreshnessReads;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// How a write reaches the mirror: a commit made through a Rhei connection wakes the background loop (it does not wait
/// for the interval), and a Strong read waits for the pipeline to catch up instead of running the cycle on its own
/// thread, so its token ends the wait even while the cycle is still busy.
/// </summary>
public sealed class FreshnessPipelineTest
{
    [Fact]
    public void A_commit_through_a_Rhei_connection_reaches_the_mirror_long_before_the_interval()
    {
        // Ten minutes between cycles and no Strong read: only the commit's wake-up can bring the row over.
        using var db = TestDatabase.Create("Sync Interval=600000;Freshness=Eventual");
        using var connection = db.Open();
        Execute(connection, "CREATE TABLE f (id INTEGER PRIMARY KEY, v INTEGER)");
        Execute(connection, "INSERT INTO f VALUES (1, 41)");

        using var session = connection.Engine.DuckDb!.Connect();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long count;
        do
        {
            using var reader = session.Query("SELECT count(*) FROM f");
            Assert.True(reader.Read());
            count = reader.GetInt64(0);
            if (count == 0)
            {
                Thread.Sleep(5);
            }
        }
        while (count == 0 && DateTime.UtcNow < deadline);

        Assert.Equal(1, count);
    }

    [Fact]
    public void A_Strong_read_does_not_run_the_catch_up_cycle_on_its_own_thread()
    {
        using var db = TestDatabase.Create("Sync Interval=0");
        using var connection = db.Open();
        Execute(connection, "CREATE TABLE f (id INTEGER PRIMARY KEY, v INTEGER)");
        Execute(connection, "INSERT INTO f VALUES (1, 41)");
        var cycleThread = -1;
        connection.Engine.Replication!.FaultInjector = point =>
        {
            if (point == "after-apply")
            {
                cycleThread = Environment.CurrentManagedThreadId;
            }
        };

        var (count, sum, route) = Read(connection);

        Assert.Equal((1L, 41L, RheiRoute.Olap), (count, sum, route));
        Assert.NotEqual(-1, cycleThread);
        Assert.NotEqual(Environment.CurrentManagedThreadId, cycleThread);
    }

    [Fact]
    public async Task A_cancelled_Strong_read_returns_while_the_catch_up_cycle_is_still_busy_and_the_cycle_still_completes()
    {
        using var db = TestDatabase.Create("Sync Interval=0");
        using var connection = db.Open();
        Execute(connection, "CREATE TABLE f (id INTEGER PRIMARY KEY, v INTEGER)");
        Execute(connection, "INSERT INTO f VALUES (1, 41)");
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var replication = connection.Engine.Replication!;
        replication.FaultInjector = point =>
        {
            if (point == "after-apply")
            {
                entered.Set();
                release.Wait(TimeSpan.FromSeconds(60));
            }
        };

        using var cancel = new CancellationTokenSource();
        var read = Task.Run(async () =>
        {
            await using var command = new RheiCommand(Aggregate, connection);
            await using var reader = await command.ExecuteReaderAsync(cancel.Token);
        });
        Assert.True(entered.Wait(TimeSpan.FromSeconds(60)), "the Strong read started no catch-up cycle");

        await cancel.CancelAsync();
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30)));
        var readEndedWhileCycleBusy = ReferenceEquals(finished, read);
        release.Set();
        Assert.True(readEndedWhileCycleBusy, "the cancelled read waited for the cycle it had started");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);

        // The cycle the cancelled read started was not abandoned: the next read finds the mirror current.
        replication.FaultInjector = null;
        Assert.Equal((1L, 41L, RheiRoute.Olap), Read(connection));
    }

    [Fact]
    public async Task Concurrent_Strong_readers_share_one_catch_up_cycle_and_all_see_the_write()
    {
        using var db = TestDatabase.Create("Sync Interval=0");
        using var writer = db.Open();
        Execute(writer, "CREATE TABLE f (id INTEGER PRIMARY KEY, v INTEGER)");
        Execute(writer, "INSERT INTO f VALUES (1, 41)");
        var applies = 0;
        using var release = new ManualResetEventSlim();
        writer.Engine.Replication!.FaultInjector = point =>
        {
            if (point == "after-apply")
            {
                Interlocked.Increment(ref applies);
                release.Wait(TimeSpan.FromSeconds(60));
            }
        };

        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            using var connection = db.Open();
            return Read(connection);
        })).ToArray();
        await Task.Delay(200);
        release.Set();
        var results = await Task.WhenAll(readers);

        Assert.All(results, r => Assert.Equal((1L, 41L, RheiRoute.Olap), r));
        Assert.Equal(1, Volatile.Read(ref applies));
    }
}
