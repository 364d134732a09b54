namespace Rhei.Data.Tests.ChangeFeed;

/// <summary>
/// Images of events of several tables interleaved in one read (destructive capture reads each table's rows in one join
/// and pairs them with the events in sequence order): every event gets its own table's row, a row gone gets none.
/// </summary>
public sealed class ChangeFeedImageTest
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Interleaved_tables_each_get_their_own_rows_image(bool bridge)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-feed-image-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        await using var db = TestDatabase.Create(bridge ? $"Sync Interval=0;Bridge Path={directory}" : "Sync Interval=0");
        db.Execute("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT)");
        db.Execute("CREATE TABLE b (x INTEGER NOT NULL, y TEXT NOT NULL, w REAL, PRIMARY KEY (x, y))");
        await (await db.DataSource.OpenConnectionAsync()).DisposeAsync();
        using (var start = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            // Subscribing stores the subscription at the latest change; it then holds the log.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            {
                await foreach (var _ in db.DataSource.SubscribeAsync("images", null, start.Token))
                {
                }
            });
        }

        db.Execute("INSERT INTO a VALUES (1, 'a1')");
        for (var i = 0; i < 50; i++)
        {
            db.Execute($"INSERT INTO b VALUES ({i}, 'k{i}', {i}.5)");
            db.Execute($"INSERT INTO a VALUES ({i + 2}, 'a{i + 2}')");
        }

        db.Execute("DELETE FROM b WHERE x = 7");
        db.Execute("UPDATE a SET v = 'changed' WHERE id = 3");
        if (bridge)
        {
            await using var connection = db.Open();
            await connection.SyncAsync();
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var changes = new List<RheiChange>();
        await foreach (var change in db.DataSource.SubscribeAsync("images", null, cancel.Token))
        {
            changes.Add(change);
            if (changes.Count == 103)
            {
                break;
            }
        }

        foreach (var change in changes.Where(c => c.Operation == RheiChangeOperation.Insert))
        {
            if (change.Table == "a")
            {
                var id = (long)change.Key["id"];
                Assert.Equal(id, change.Values!["id"]);
                Assert.Equal(id == 3 ? "changed" : "a" + id, change.Values["v"]);
                Assert.Equal(2, change.Values.Count);
            }
            else
            {
                var x = (long)change.Key["x"];
                Assert.Equal("k" + x, change.Key["y"]);
                if (x == 7)
                {
                    // Deleted before the log was read: no image (destructive capture logs keys only).
                    Assert.Null(change.Values);
                }
                else
                {
                    Assert.Equal(x + 0.5, change.Values!["w"]);
                    Assert.Equal("k" + x, change.Values["Y"]);
                }
            }
        }

        Assert.Equal(51, changes.Count(c => c.Table == "a" && c.Operation == RheiChangeOperation.Insert));
        Assert.Equal(50, changes.Count(c => c.Table == "b" && c.Operation == RheiChangeOperation.Insert));
        Assert.Equal(RheiChangeOperation.Delete, changes[^2].Operation);
        Assert.Null(changes[^2].Values);
        Assert.Equal("changed", changes[^1].Values!["v"]);
    }
}
