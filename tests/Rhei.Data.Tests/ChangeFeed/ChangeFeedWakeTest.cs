using Microsoft.Data.Sqlite;

namespace Rhei.Data.Tests.ChangeFeed;

/// <summary>
/// An idle subscription is woken by a commit through Rhei (the commit signal) and, for a writer Rhei cannot see, by its
/// poll of SQLite's data version: both kinds of commit reach it, in order.
/// </summary>
public sealed class ChangeFeedWakeTest
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Idle_subscription_receives_commits_through_Rhei_and_from_a_plain_SQLite_connection(bool bridge)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-feed-wake-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        await using var db = TestDatabase.Create(bridge ? $"Sync Interval=0;Bridge Path={directory}" : "Sync Interval=0");
        db.Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        await (await db.DataSource.OpenConnectionAsync()).DisposeAsync();

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new List<RheiChange>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(async () =>
        {
            await foreach (var change in db.DataSource.SubscribeAsync("wake", null, cancel.Token))
            {
                lock (received)
                {
                    received.Add(change);
                }

                first.TrySetResult();
                if ((long)change.Key["id"] == 1001)
                {
                    return;
                }
            }
        });

        // The subscription starts at the latest change when it first reads: write until it has taken one.
        for (var id = 1L; !first.Task.IsCompleted; id++)
        {
            db.Execute($"INSERT INTO t VALUES ({id}, 'through Rhei')");
            await Task.WhenAny(first.Task, Task.Delay(50, cancel.Token));
        }

        // Idle now: a plain connection, unseen by Rhei (its poll of the data version finds it), then Rhei again (its signal).
        await Task.Delay(300, cancel.Token);
        using (var plain = new SqliteConnection($"Data Source={db.Path}"))
        {
            plain.Open();
            using var command = plain.CreateCommand();
            command.CommandText = "INSERT INTO t VALUES (1000, 'plain SQLite')";
            command.ExecuteNonQuery();
        }

        await Task.Delay(300, cancel.Token);
        db.Execute("INSERT INTO t VALUES (1001, 'through Rhei again')");

        await reading.WaitAsync(cancel.Token);
        var ids = received.Select(c => (long)c.Key["id"]).ToList();
        Assert.Equal(ids.Distinct(), ids);
        Assert.Equal([1000L, 1001L], ids[^2..]);
        Assert.Equal("plain SQLite", received[^2].Values!["v"]);
        Assert.True(received.Zip(received.Skip(1)).All(p => p.First.Position < p.Second.Position));
    }
}
