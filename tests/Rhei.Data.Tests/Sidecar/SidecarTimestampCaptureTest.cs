namespace Rhei.Data.Tests.Sidecar;

/// <summary>Issue 13, item 2 (SQLite source): compound watermark, batches, delete detection, types, schema changes.</summary>
public sealed class SidecarTimestampCaptureTest
{
    [Fact]
    public async Task Thousand_rows_sharing_one_updated_at_arrive_once_each_across_small_poll_batches()
    {
        using var source = new SidecarSource();
        // Half before the start (copied), half after (polled 7 at a time): the ties straddle the copy's watermark.
        for (var id = 1; id <= 500; id++)
        {
            source.Execute("INSERT INTO users VALUES ($id, $name, 5000, 5000)", ("$id", id * 2), ("$name", "u" + id));
        }

        await using var dataSource = RheiDataSource.Create(source.ConnectionString("Sidecar Poll Batch Size=7;Sync Batch Size=7"));
        await using var connection = await dataSource.OpenConnectionAsync();
        for (var id = 1; id <= 500; id++)
        {
            // Same timestamp as the copied rows, keys past the copy's watermark (5000, 1000): polled, none twice.
            source.Execute("INSERT INTO users VALUES ($id, $name, 5000, 5000)", ("$id", 1000 + id), ("$name", "v" + id));
        }

        var result = await connection.SyncAsync();
        Assert.Equal((500L, 500L), (result.EventsProcessed, result.RowsInserted));
        var again = await connection.SyncAsync();
        Assert.Equal(0L, again.EventsProcessed);
        Assert.Equal(("1000|1000|1000", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT count(*), count(DISTINCT id), sum(updated_at) / 5000 FROM users"));
        Assert.Equal(source.SourceRows("SELECT id, name FROM users ORDER BY id"), SidecarSource.Query(connection, "SELECT id, name FROM users ORDER BY id", RheiRoute.Olap).Rows.Split("; "));
    }

    [Fact]
    public async Task Delete_detection_disabled_keeps_a_row_deleted_at_the_source()
    {
        using var source = new SidecarSource();
        source.Execute("INSERT INTO users VALUES (1, 'a', 1, 1), (2, 'b', 1, 1)");
        await using var dataSource = RheiDataSource.Create(source.ConnectionString("Delete Detection=Disabled"));
        await using var connection = await dataSource.OpenConnectionAsync();
        source.Execute("DELETE FROM users WHERE id = 1");
        var result = await connection.SyncAsync();
        Assert.Equal(0L, result.RowsDeleted);
        Assert.Equal(("2", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT count(*) FROM users"));
    }

    [Theory]
    [InlineData("Destructive")]
    [InlineData("Temporal")]
    public async Task Delete_detection_soft_delete_takes_a_flagged_row_out_of_the_current_rows(string mode)
    {
        using var source = new SidecarSource("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, deleted_at INTEGER, updated_at INTEGER NOT NULL)");
        source.Execute("INSERT INTO users VALUES (1, 'a', NULL, 10), (2, 'b', NULL, 10), (3, 'gone', 5, 10)");
        await using var dataSource = RheiDataSource.Create(source.ConnectionString($"Sync Mode={mode};Delete Detection=SoftDelete;Soft Delete Column=deleted_at"));
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(("1; 2", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT id FROM users ORDER BY id", RheiRoute.Olap));

        source.Execute("UPDATE users SET deleted_at = 20, updated_at = 20 WHERE id = 1");
        var result = await connection.SyncAsync();
        Assert.Equal(1L, result.RowsDeleted);
        Assert.Equal(("2", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT id FROM users ORDER BY id", RheiRoute.Olap));
        if (mode == "Temporal")
        {
            // The version is closed at the source's time of the soft delete, not removed.
            Assert.Equal(("1|10|20", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT id, _rhei_valid_from, _rhei_valid_to FROM users FOR SYSTEM_TIME ALL WHERE id = 1"));
        }
    }

    [Theory]
    [InlineData("Destructive")]
    [InlineData("Temporal")]
    public async Task Delete_detection_key_scan_finds_rows_deleted_at_the_source(string mode)
    {
        using var source = new SidecarSource();
        source.Execute("INSERT INTO users VALUES (1, 'a', 1, 1), (2, 'b', 1, 1), (3, 'c', 1, 1)");
        await using var dataSource = RheiDataSource.Create(source.ConnectionString($"Sync Mode={mode};Delete Detection=KeyScan"));
        await using var connection = await dataSource.OpenConnectionAsync();
        source.Execute("DELETE FROM users WHERE id IN (1, 3)");
        source.Execute("INSERT INTO users VALUES (4, 'd', 2, 2)");
        var result = await connection.SyncAsync();
        Assert.Equal((1L, 2L), (result.RowsInserted, result.RowsDeleted));
        Assert.Equal(("2; 4", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT id FROM users ORDER BY id", RheiRoute.Olap));
        Assert.Equal(0L, (await connection.SyncAsync()).RowsDeleted);
    }

    [Fact]
    public async Task Column_added_at_the_source_is_added_to_the_mirror_and_filled_from_then_on()
    {
        using var source = new SidecarSource();
        source.Execute("INSERT INTO users VALUES (1, 'a', 1, 1)");
        await using var dataSource = RheiDataSource.Create(source.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        source.Execute("ALTER TABLE users ADD COLUMN email TEXT");
        source.Execute("INSERT INTO users VALUES (2, 'b', 2, 2, 'b@example.org')");
        await connection.SyncAsync();
        Assert.Equal(("1|NULL; 2|b@example.org", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT id, email FROM users ORDER BY id", RheiRoute.Olap));
    }

    [Fact]
    public async Task Value_the_mirror_cannot_hold_quarantines_the_table_and_its_reads_are_answered_by_the_source()
    {
        using var source = new SidecarSource("CREATE TABLE items (id INTEGER PRIMARY KEY, qty INTEGER, updated_at INTEGER NOT NULL)");
        source.Execute("INSERT INTO items VALUES (1, 10, 1)");
        await using var dataSource = RheiDataSource.Create(source.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        source.Execute("INSERT INTO items VALUES (2, 'many', 2)");
        await connection.SyncAsync();

        var status = await connection.GetSyncStatusAsync();
        var items = Assert.Single(status.Tables, t => t.Table == "items");
        Assert.Equal(RheiTableSyncState.Quarantined, items.State);
        Assert.Contains("qty", items.QuarantineReason, StringComparison.Ordinal);
        Assert.Equal("(2)", items.OffendingKey);
        Assert.Equal(("1|10; 2|many", RheiRoute.Oltp), SidecarSource.Query(connection, "SELECT id, qty FROM items ORDER BY id"));
    }

    [Fact]
    public async Task Status_shows_capture_watermark_lag_and_state_of_each_followed_table()
    {
        using var source = new SidecarSource();
        source.Execute("INSERT INTO users VALUES (1, 'a', 1000, 1000), (2, 'b', 2000, 2000)");
        await using var dataSource = RheiDataSource.Create(source.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        source.Execute("INSERT INTO users VALUES (3, 'c', 3000, 3000)");

        var users = Assert.Single((await connection.GetSyncStatusAsync()).Tables, t => t.Table == "users");
        Assert.Equal(("Timestamp", "(2000, 2)", 1L, RheiTableSyncState.Active, 2L), (users.Capture, users.SourcePosition, users.Lag, users.State, users.Rows));

        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA rhei_status";
        using var reader = await pragma.ExecuteReaderAsync();
        var rows = SidecarSource.Rows(reader);
        Assert.Contains(rows, r => r.StartsWith("users|Destructive|2|1|Active|NULL|Timestamp|(2000, 2)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Strong_read_sees_a_row_the_application_wrote_to_the_source_just_before()
    {
        using var source = new SidecarSource();
        await using var dataSource = RheiDataSource.Create(source.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        for (var i = 1; i <= 20; i++)
        {
            source.Execute("INSERT INTO users VALUES ($id, 'x', $t, $t)", ("$id", i), ("$t", i));
            Assert.Equal((i.ToString(System.Globalization.CultureInfo.InvariantCulture), RheiRoute.Olap), SidecarSource.Query(connection, "SELECT count(*) FROM users"));
        }
    }
}
