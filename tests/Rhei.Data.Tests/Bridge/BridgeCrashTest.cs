namespace Rhei.Data.Tests.Bridge;

/// <summary>
/// kill -9 of a process that writes while its background loop bridges and syncs, at random instants; after each kill the
/// files are reopened: the durable mirror equals SQLite and no key is doubled.
/// </summary>
public sealed class BridgeCrashTest
{
    [Theory]
    [InlineData("Destructive")]
    [InlineData("Temporal")]
    public async Task Writer_with_bridge_killed_at_random_instants_leaves_a_mirror_equal_to_sqlite(string mode)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rhei-bridge-crash-" + Guid.NewGuid().ToString("N"));
        var bridge = Path.Combine(directory, "bridge");
        Directory.CreateDirectory(bridge);
        var connectionString = $"Data Source={Path.Combine(directory, "app.db")};Olap Path={Path.Combine(directory, "mirror.duckdb")};Bridge Path={bridge};Sync Mode={mode};Sync Interval=5;Sync Batch Size=500";
        var random = new Random(mode.Length);
        try
        {
            for (var instant = 0; instant < 20; instant++)
            {
                using (var writer = ChildProcessEntry.Start("bridge-writer", connectionString))
                {
                    try
                    {
                        var first = await writer.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                        Assert.Equal("writing", first);
                        await Task.Delay(random.Next(0, 400));
                    }
                    finally
                    {
                        // SIGKILL on Unix: no finalizer, no flush, no dispose.
                        writer.Kill();
                        await writer.WaitForExitAsync();
                    }
                }

                await AssertMirrorEqualsSqliteAsync(connectionString, mode, instant);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task AssertMirrorEqualsSqliteAsync(string connectionString, string mode, int instant)
    {
        await using var dataSource = RheiDataSource.Create(connectionString.Replace("Sync Interval=5", "Sync Interval=0", StringComparison.Ordinal));
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.SyncAsync();
        var current = mode == "Temporal" ? " WHERE _rhei_valid_to IS NULL" : string.Empty;
        var sqlite = Rows(connection, "SELECT id, v FROM t ORDER BY id", RheiRoute.Oltp);
        var mirror = Rows(connection, $"SELECT id, v FROM t{current} ORDER BY id", RheiRoute.Olap);
        Assert.True(sqlite.SequenceEqual(mirror), $"after kill {instant}: SQLite has {sqlite.Count} rows, the mirror {mirror.Count}");
        Assert.Equal(mirror.Count, mirror.Select(r => r.Id).Distinct().Count());
        var status = await connection.GetSyncStatusAsync();
        Assert.Equal(0, status.Lag);
        Assert.Null(status.LastRebuildReason);
    }

    private static List<(long Id, long V)> Rows(RheiConnection connection, string sql, RheiRoute route)
    {
        using var command = connection.CreateCommand();
        command.CommandText = (route == RheiRoute.Olap ? "/*+ rhei:olap */ " : string.Empty) + sql;
        command.Route = route;
        using var reader = command.ExecuteReader();
        Assert.Equal(route, reader.Route);
        var rows = new List<(long, long)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return rows;
    }
}
