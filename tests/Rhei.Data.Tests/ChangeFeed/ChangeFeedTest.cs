using Rhei.Data.Tests.Bridge;

namespace Rhei.Data.Tests.ChangeFeed;

/// <summary>The change feed, with and without a bridge: order, values, filters, resume, retention, a slow consumer, PRAGMAs.</summary>
public sealed class ChangeFeedTest
{
    private static TestDatabase Create(bool bridge, string extra = "Sync Interval=0")
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-feed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return TestDatabase.Create(bridge ? $"{extra};Bridge Path={directory}" : extra);
    }

    private static async Task<List<RheiChange>> TakeAsync(RheiDataSource dataSource, string name, int count, RheiSubscriptionOptions? options = null)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var taken = new List<RheiChange>();
        await foreach (var change in dataSource.SubscribeAsync(name, options, cancel.Token))
        {
            taken.Add(change);
            if (taken.Count == count)
            {
                break;
            }
        }

        return taken;
    }

    /// <summary>Starts a subscription (it begins at the latest change) and stops.</summary>
    private static async Task StartAsync(RheiDataSource dataSource, string name, RheiSubscriptionOptions? options = null)
    {
        // The engine first, so the short wait below is spent subscribing, not starting.
        await (await dataSource.OpenConnectionAsync()).DisposeAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in dataSource.SubscribeAsync(name, options, cancel.Token))
            {
            }
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Subscription_delivers_inserts_updates_and_deletes_in_commit_order_with_keys_and_values(bool bridge)
    {
        await using var db = Create(bridge);
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, price REAL)");
        await StartAsync(db.DataSource, "s");
        db.Execute("INSERT INTO t VALUES (1, 'a', 1.5)");
        db.Execute("INSERT INTO t VALUES (2, 'b', NULL)");
        db.Execute("UPDATE t SET name = 'b2' WHERE id = 2");
        db.Execute("INSERT INTO t VALUES (3, 'c', 3.0)");
        db.Execute("DELETE FROM t WHERE id = 3");
        if (bridge)
        {
            await using var connection = db.Open();
            await connection.SyncAsync();
            // Bridged and pruned: the last event stays in SQLite's log (CdcLogPruner).
            Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM _rhei_cdc_log"));
        }

        var changes = await TakeAsync(db.DataSource, "s", 5);
        Assert.Equal([RheiChangeOperation.Insert, RheiChangeOperation.Insert, RheiChangeOperation.Update, RheiChangeOperation.Insert, RheiChangeOperation.Delete], changes.Select(c => c.Operation));
        Assert.Equal([1L, 2L, 2L, 3L, 3L], changes.Select(c => c.Key["id"]));
        Assert.True(changes.Zip(changes.Skip(1)).All(p => p.Second.Position == p.First.Position + 1));
        Assert.All(changes, c => Assert.Equal("t", c.Table));
        Assert.Null(changes[4].Values);

        // Destructive capture logs keys only: an image is the row as the log read saw it (row 3 was gone by then).
        Assert.Null(changes[3].Values);
        Assert.Equal(1.5, changes[0].Values!["price"]);
        Assert.Equal(DBNull.Value, changes[2].Values!["price"]);
        Assert.Equal("b2", changes[2].Values!["name"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Subscription_resumes_after_restart_after_the_last_acknowledged_position_without_skipping(bool bridge)
    {
        // The test's own data source stays closed: a bridge directory belongs to one engine at a time.
        await using var db = Create(bridge);
        var connectionString = db.ConnectionString;
        using (var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db.Path}"))
        {
            sqlite.Open();
            using var create = sqlite.CreateCommand();
            create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)";
            create.ExecuteNonQuery();
        }
        long acknowledged;
        await using (var first = RheiDataSource.Create(connectionString))
        {
            await StartAsync(first, "orders-feed");
            await using (var connection = await first.OpenConnectionAsync())
            {
                for (var i = 1; i <= 10; i++)
                {
                    using var insert = connection.CreateCommand();
                    insert.CommandText = $"INSERT INTO t VALUES ({i}, 0)";
                    insert.ExecuteNonQuery();
                }
            }

            var taken = await TakeAsync(first, "orders-feed", 5);
            acknowledged = taken[2].Position;
            await first.AcknowledgeAsync("orders-feed", acknowledged);
        }

        // Another data source, as after a process restart.
        await using var second = RheiDataSource.Create(connectionString);
        var resumed = await TakeAsync(second, "orders-feed", 7);
        Assert.Equal(acknowledged + 1, resumed[0].Position);
        Assert.Equal(Enumerable.Range(4, 7).Select(i => (long)i), resumed.Select(c => (long)c.Key["id"]));
    }

    [Fact]
    public async Task Filters_deliver_only_the_chosen_tables_and_operations()
    {
        await using var db = Create(bridge: false);
        db.Execute("CREATE TABLE a (id INTEGER PRIMARY KEY, v INTEGER)");
        db.Execute("CREATE TABLE b (id INTEGER PRIMARY KEY, v INTEGER)");
        var options = new RheiSubscriptionOptions { Tables = ["B"], Operations = [RheiChangeOperation.Update, RheiChangeOperation.Delete], AutoAcknowledge = true };
        await StartAsync(db.DataSource, "f", options);
        db.Execute("INSERT INTO a VALUES (1, 1)");
        db.Execute("INSERT INTO b VALUES (1, 1)");
        db.Execute("UPDATE a SET v = 2");
        db.Execute("UPDATE b SET v = 2");
        db.Execute("DELETE FROM b");
        var changes = await TakeAsync(db.DataSource, "f", 2, options);
        Assert.Equal([RheiChangeOperation.Update, RheiChangeOperation.Delete], changes.Select(c => c.Operation));
        Assert.All(changes, c => Assert.Equal("b", c.Table));
    }

    [Fact]
    public async Task Subscription_past_its_retention_fails_naming_the_position_from_which_data_is_gone()
    {
        await using var db = Create(bridge: false);
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        var options = new RheiSubscriptionOptions { MaxRetainedChanges = 5 };
        await StartAsync(db.DataSource, "late", options);
        await StartAsync(db.DataSource, "held", new RheiSubscriptionOptions());
        await using var connection = db.Open();
        var start = Scalar(connection, "SELECT coalesce(max(seq), 0) FROM _rhei_cdc_log");
        for (var i = 1; i <= 20; i++)
        {
            db.Execute("INSERT INTO t VALUES ($id, 0)", ("$id", i));
        }

        // "held" is within its retention: the log keeps everything.
        await connection.SyncAsync();
        Assert.Equal(20L, Scalar(connection, "SELECT count(*) FROM _rhei_cdc_log"));

        // Once "held" moves on, nothing holds the log for "late" (20 behind, limit 5): the next cycle prunes.
        await db.DataSource.AcknowledgeAsync("held", start + 20);
        db.Execute("INSERT INTO t VALUES (21, 0)");
        await connection.SyncAsync();
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM _rhei_cdc_log"));
        var ex = await Assert.ThrowsAsync<RheiException>(() => TakeAsync(db.DataSource, "late", 1, options));
        Assert.Contains("'late' expired", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"from position {start + 1} through {start + 20}", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Consumer_that_stops_reading_for_ten_seconds_while_100000_rows_are_written_loses_nothing(bool bridge)
    {
        await using var db = Create(bridge, "Sync Interval=100");
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await StartAsync(db.DataSource, "slow");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var feed = db.DataSource.SubscribeAsync("slow", null, cancel.Token).GetAsyncEnumerator(cancel.Token);
        db.Execute("INSERT INTO t VALUES (0, 0)");
        Assert.True(await feed.MoveNextAsync());
        var first = feed.Current.Position;

        // The consumer holds its change and reads nothing for ten seconds; writers and the mirror carry on.
        var pause = Task.Delay(TimeSpan.FromSeconds(10));
        await using (var connection = db.Open())
        {
            for (var batch = 0; batch < 10; batch++)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                using var command = connection.CreateCommand();
                command.Transaction = (RheiTransaction)transaction;
                command.CommandText = $"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 10000) INSERT INTO t SELECT {batch * 10000} + x, x FROM s";
                command.ExecuteNonQuery();
                await transaction.CommitAsync();
            }

            Assert.False(pause.IsCompleted, "the writes waited for the consumer");
            await connection.SyncAsync();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM t";
            count.Route = RheiRoute.Olap;
            using var reader = count.ExecuteReader();
            Assert.Equal(RheiRoute.Olap, reader.Route);
            Assert.True(reader.Read());
            Assert.Equal(100_001L, reader.GetInt64(0));
        }

        await pause;
        var expected = first;
        for (var i = 0; i < 100_000; i++)
        {
            Assert.True(await feed.MoveNextAsync());
            Assert.Equal(++expected, feed.Current.Position);
        }

        Assert.Equal(100_000L, (long)feed.Current.Key["id"]);
    }

    [Fact]
    public async Task Two_processes_subscribing_see_the_same_changes_in_the_same_order()
    {
        await using var db = Create(bridge: false);
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await StartAsync(db.DataSource, "here");
        using var child = ChildProcessEntry.Start("subscribe", db.ConnectionString, "there", "30");
        // The child's subscription starts at the latest change when it begins reading: write until it has seen 30.
        var lines = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Add(line);
            }
        });
        for (var i = 1; !reading.IsCompleted && i < 100_000; i++)
        {
            db.Execute("INSERT INTO t VALUES ($id, 0)", ("$id", i));
            db.Execute("UPDATE t SET v = 1 WHERE id = $id", ("$id", i));
            await Task.Delay(20);
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(60));
        await child.WaitForExitAsync();
        Assert.Equal(30, lines.Count);
        var firstThere = long.Parse(lines[0].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var hereFirst = await FirstPositionAsync(db);
        var here = await TakeAsync(db.DataSource, "here", (int)(firstThere + 29 - hereFirst + 1));
        var overlap = here.Where(c => c.Position >= firstThere).Select(c => $"{c.Position} {c.Operation} {c.Key["id"]}").ToList();
        Assert.Equal(lines, overlap);
    }

    [Fact]
    public async Task Pragmas_show_the_bridge_and_the_subscriptions()
    {
        await using var db = Create(bridge: true);
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
        await StartAsync(db.DataSource, "p");
        db.Execute("INSERT INTO t VALUES (1, 1), (2, 2)");
        await using var connection = db.Open();
        await connection.SyncAsync();
        using var bridge = connection.CreateCommand();
        bridge.CommandText = "PRAGMA rhei_bridge_status;";
        using (var reader = bridge.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal(Scalar(connection, "SELECT coalesce(max(seq), 0) FROM _rhei_cdc_log"), reader["bridge_watermark"]);
            Assert.Equal(2L, reader["log_events"]);
            Assert.Equal(0L, reader["unbridged_events"]);
        }

        using var subscriptions = connection.CreateCommand();
        subscriptions.CommandText = "PRAGMA rhei_subscriptions;";
        using (var reader = subscriptions.ExecuteReader())
        {
            Assert.True(reader.Read());
            Assert.Equal("p", reader["name"]);
            Assert.Equal(2L, reader["lag"]);
        }
    }

    private static async Task<long> FirstPositionAsync(TestDatabase db)
    {
        await using var connection = db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA rhei_subscriptions;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if ((string)reader["name"] == "here")
            {
                return (long)reader["position"] + 1;
            }
        }

        throw new InvalidOperationException("no subscription 'here'");
    }

    private static long Scalar(RheiConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
