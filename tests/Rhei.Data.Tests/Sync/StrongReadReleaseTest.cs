using Microsoft.Data.Sqlite;
using Rhei.Data.Oltp;

namespace Rhei.Data.Tests.Sync;

/// <summary>
/// Issue 12, the read path: a Strong read goes ahead as soon as the DuckDB transaction that covers its position commits,
/// before the cycle writes its consumer position and prunes (once per cycle, after every batch); a crash between the
/// DuckDB commit and that write applies nothing twice; the freshness probe sees every commit, whoever made it.
/// </summary>
public sealed class StrongReadReleaseTest
{
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public void A_Strong_read_sees_the_row_committed_just_before_it_in_500_rounds_with_the_loop_running()
    {
        // The background loop (woken by every commit) and the readers' catch-up race for each write.
        using var db = TestDatabase.Create("Sync Interval=5");
        using var connection = db.Open();
        Execute(connection, "CREATE TABLE f (id INTEGER PRIMARY KEY, v INTEGER)");
        // Every other write comes through a plain SQLite connection, which wakes no loop: only the probe sees it.
        using var foreign = new SqliteConnection($"Data Source={db.Path}");
        foreign.Open();
        using var read = new RheiCommand("SELECT count(*), sum(v) FROM f", connection);
        for (var i = 1; i <= 500; i++)
        {
            if (i % 2 == 0)
            {
                using var write = foreign.CreateCommand();
                write.CommandText = $"INSERT INTO f VALUES ({i}, {i})";
                write.ExecuteNonQuery();
            }
            else
            {
                Execute(connection, $"INSERT INTO f VALUES ({i}, {i})");
            }

            using var reader = read.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal((RheiRoute.Olap, (long)i, (long)i * (i + 1) / 2), (reader.Route, reader.GetInt64(0), reader.GetInt64(1)));
        }
    }

    [Fact]
    public async Task A_Strong_read_goes_ahead_while_the_cycle_has_yet_to_write_its_consumer_position()
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
            if (point == "before-acknowledge")
            {
                entered.Set();
                release.Wait(TimeSpan.FromSeconds(60));
            }
        };

        var read = Task.Run(() => Read(connection));
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30)));
        var cycleWasHeld = entered.IsSet && !release.IsSet;
        release.Set();

        Assert.True(ReferenceEquals(finished, read), "the Strong read waited for the cycle's SQLite bookkeeping");
        Assert.True(cycleWasHeld, "the read was not answered while the cycle stood before its consumer-position write");
        Assert.Equal((1L, 41L, RheiRoute.Olap), await read);
    }

    [Fact]
    public async Task Without_a_loop_a_Strong_reads_catch_up_leaves_the_consumer_position_at_most_a_second_and_a_sync_or_close_writes_it()
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rhei-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var file = System.IO.Path.Combine(directory, "app.db");
        var dataSource = RheiDataSource.Create($"Data Source={file};Olap Path={System.IO.Path.Combine(directory, "mirror.duckdb")};Sync Interval=0");
        string consumer;
        long watermark;
        try
        {
            var connection = await dataSource.OpenConnectionAsync(s_ct);
            Execute(connection, "CREATE TABLE f (id INTEGER PRIMARY KEY, v INTEGER)");
            var replication = connection.Engine.Replication!;
            consumer = replication.ConsumerId;
            // The first catch-up writes the position (nothing written yet counts as a heartbeat due).
            Execute(connection, "INSERT INTO f VALUES (1, 1)");
            Assert.Equal((1L, 1L, RheiRoute.Olap), Read(connection));
            var first = Position(file, consumer);
            Assert.Equal(replication.Watermark, first);

            // Right after it, a catch-up leaves the position (and the prune) to a later cycle; the read is fresh all the same.
            Execute(connection, "INSERT INTO f VALUES (2, 2)");
            Assert.Equal((2L, 3L, RheiRoute.Olap), Read(connection));
            Assert.Equal(first, Position(file, consumer));
            Assert.True(replication.Watermark > first);

            // A second later, the next catch-up writes it.
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            Execute(connection, "INSERT INTO f VALUES (3, 3)");
            Assert.Equal((3L, 6L, RheiRoute.Olap), Read(connection));
            Assert.Equal(replication.Watermark, Position(file, consumer));

            // An explicit sync always writes it.
            Execute(connection, "INSERT INTO f VALUES (4, 4)");
            Assert.Equal((4L, 10L, RheiRoute.Olap), Read(connection));
            Assert.True(Position(file, consumer) < replication.Watermark);
            await connection.SyncAsync();
            Assert.Equal(replication.Watermark, Position(file, consumer));

            // Left behind by a catch-up, then written when the engine closes: the durable mirror's consumer stays registered.
            Execute(connection, "INSERT INTO f VALUES (5, 5)");
            Assert.Equal((5L, 15L, RheiRoute.Olap), Read(connection));
            watermark = replication.Watermark;
            Assert.True(Position(file, consumer) < watermark);
            await connection.DisposeAsync();
            await dataSource.DisposeAsync();
            Assert.Equal(watermark, Position(file, consumer));
        }
        finally
        {
            await dataSource.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_cycle_over_several_batches_writes_its_position_and_prunes_once_after_the_last()
    {
        await using var h = await ReplicationHarness.StartAsync(replicate: new HashSet<string> { "t" }, batchSize: 10);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        h.Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 35) INSERT INTO t SELECT i, i FROM n");
        var points = new List<string>();
        // The points of the drain (the schema check before it has its own, "after-repair", not counted here).
        h.Engine.FaultInjector = point =>
        {
            if (point != "after-repair")
            {
                points.Add(point);
            }
        };

        var result = await h.Engine.SyncAsync(s_ct);

        Assert.Equal(35, result.EventsProcessed);
        // The last event stays in the log (CdcLogPruner).
        Assert.Equal(34, result.EventsPruned);
        Assert.Equal(["after-apply", "after-apply", "after-apply", "after-apply", "before-acknowledge", "before-prune"], points);
        Assert.Equal(1, h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log"));
        Assert.Equal(h.Engine.Watermark, h.SqliteScalar($"SELECT watermark FROM _rhei_consumers WHERE id = '{h.Engine.ConsumerId}'"));
        Assert.Equal(35, h.OlapCount("t"));
    }

    [Fact]
    public async Task A_crash_between_the_DuckDB_commit_and_the_consumer_position_reapplies_nothing()
    {
        await using var h = new ReplicationHarness();
        await h.OpenEngineAsync(RheiSyncMode.Temporal, new HashSet<string> { "t" }, durable: true, batchSize: 2);
        h.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await h.Engine.RegisterTableAsync("t", s_ct);
        for (var round = 0; round < 3; round++)
        {
            // Three events in two batches: both committed in DuckDB, the consumer position never written.
            h.Exec("INSERT INTO t (v) VALUES (1), (2), (3)");
            h.Engine.FaultInjector = point =>
            {
                if (point == "before-acknowledge")
                {
                    throw new IOException("simulated crash before the consumer position");
                }
            };
            await Assert.ThrowsAsync<IOException>(() => h.Engine.SyncAsync(s_ct));
            await h.CloseEngineAsync();
            h.Exec("UPDATE t SET v = v + 10 WHERE id = (SELECT max(id) FROM t)");
            await h.OpenEngineAsync(RheiSyncMode.Temporal, new HashSet<string> { "t" }, durable: true, batchSize: 2);
            await h.Engine.SyncAsync(s_ct);
        }

        // Nine inserts and three updates: twelve versions, each once; the live versions match SQLite.
        Assert.Equal(12, h.OlapCount("t"));
        Assert.Equal(9L, h.Olap("SELECT count(*) FROM t WHERE _rhei_valid_to IS NULL")[0][0]);
        Assert.Equal(h.SqliteScalar("SELECT sum(v) FROM t"), Convert.ToInt64(h.Olap("SELECT sum(v) FROM t WHERE _rhei_valid_to IS NULL")[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_change_log_probe_sees_each_commit_by_any_connection_and_survives_the_log_being_dropped()
    {
        using var db = TestDatabase.Create("Olap=None");
        using var writer = new SqliteConnection($"Data Source={db.Path}");
        writer.Open();
        ReplicationTables.Create(writer);
        using var probeConnection = new SqliteConnection($"Data Source={db.Path}");
        probeConnection.Open();
        using var probe = new ChangeLogProbe(probeConnection);

        Assert.Equal(0, probe.LatestPosition());
        Insert(writer);
        Assert.Equal(1, probe.LatestPosition());
        Assert.Equal(1, probe.LatestPosition());
        using (var other = new SqliteConnection($"Data Source={db.Path}"))
        {
            other.Open();
            Insert(other);
            Insert(other);
        }

        Assert.Equal(3, probe.LatestPosition());
        // Pruned through the last event: the high-water mark stays.
        Assert.Equal(2, CdcLogPruner.Prune(writer, 3, TimeSpan.FromMinutes(1)));

        Assert.Equal(3, probe.LatestPosition());

        using (var drop = writer.CreateCommand())
        {
            drop.CommandText = "DROP TABLE _rhei_cdc_log";
            drop.ExecuteNonQuery();
        }

        Assert.Throws<SqliteException>(() => probe.LatestPosition());
        ReplicationTables.Create(writer);
        Insert(writer);
        Insert(writer);
        // A dropped log loses its numbering: the new log starts again at 1.
        Assert.Equal(2, probe.LatestPosition());
    }

    private static long Position(string file, string consumer)
    {
        using var sqlite = new SqliteConnection($"Data Source={file};Pooling=False");
        sqlite.Open();
        using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT watermark FROM _rhei_consumers WHERE id = $id";
        command.Parameters.AddWithValue("$id", consumer);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Insert(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO _rhei_cdc_log (tbl, op) VALUES ('t', 'I')";
        command.ExecuteNonQuery();
    }

    private static void Execute(RheiConnection connection, string sql)
    {
        using var command = new RheiCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static (long Count, long Sum, RheiRoute Route) Read(RheiConnection connection)
    {
        using var command = new RheiCommand("SELECT count(*), sum(v) FROM f", connection);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetInt64(0), reader.IsDBNull(1) ? 0 : reader.GetInt64(1), reader.Route);
    }
}
