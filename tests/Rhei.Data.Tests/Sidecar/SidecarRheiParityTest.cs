namespace Rhei.Data.Tests.Sidecar;

/// <summary>rhei's three sidecar tests (seed 000: <c>test_sidecar_temporal_full_pipeline</c>, <c>test_sidecar_oltp_disabled</c>, <c>test_sidecar_point_in_time_query</c>).</summary>
public sealed class SidecarRheiParityTest
{
    [Fact]
    public async Task Sidecar_temporal_full_pipeline_syncs_external_rows_into_a_temporal_mirror()
    {
        using var source = new SidecarSource();
        await using var dataSource = RheiDataSource.Create(source.ConnectionString("Sync Mode=Temporal;Sidecar Poll Batch Size=100"));
        await using var connection = await dataSource.OpenConnectionAsync();

        // rhei registers the table, then syncs the rows written before: here they are written after the start's copy.
        source.Execute("INSERT INTO users (id, name, created_at, updated_at) VALUES (1, 'Alice', 1000, 1000)");
        source.Execute("INSERT INTO users (id, name, created_at, updated_at) VALUES (2, 'Bob', 1001, 1001)");
        var result = await connection.SyncAsync();
        Assert.Equal((2L, 2L), (result.EventsProcessed, result.RowsInserted));

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM users FOR SYSTEM_TIME ALL ORDER BY id";
        using var reader = await command.ExecuteReaderAsync();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        Assert.Contains("_rhei_valid_from", columns);
        Assert.Contains("_rhei_valid_to", columns);
        Assert.Contains("_rhei_operation", columns);
        var rows = SidecarSource.Rows(reader);
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task Sidecar_oltp_disabled_refuses_every_write_saying_the_source_is_followed_read_only()
    {
        using var source = new SidecarSource();
        await using var dataSource = RheiDataSource.Create(source.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        using var command = connection.CreateCommand();
        foreach (var write in new[] { "INSERT INTO foo VALUES (1)", "UPDATE users SET name = 'x'", "CREATE TABLE local_t (id INTEGER PRIMARY KEY)" })
        {
            command.CommandText = write;
            var error = await Assert.ThrowsAsync<RheiException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
            Assert.Contains("Local Oltp", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(source.SourceRows("SELECT * FROM users"));
        Assert.Single(source.SourceRows("SELECT name FROM sqlite_schema WHERE type = 'table'"));
    }

    [Fact]
    public async Task Sidecar_point_in_time_query_answers_in_the_source_time()
    {
        using var source = new SidecarSource();
        source.Execute("INSERT INTO users (id, name, created_at, updated_at) VALUES (1, 'Alice', 1000, 1000)");
        await using var dataSource = RheiDataSource.Create(source.ConnectionString("Sync Mode=Temporal;Sidecar Poll Batch Size=100"));
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.SyncAsync();

        source.Execute("UPDATE users SET name = 'Bob', updated_at = 2000 WHERE id = 1");
        var result = await connection.SyncAsync();
        Assert.Equal((1L, 1L), (result.EventsProcessed, result.RowsUpdated));

        var (rhei, route) = SidecarSource.Query(
            connection,
            "SELECT name FROM users FOR SYSTEM_TIME ALL WHERE id = 1 AND _rhei_valid_from <= 1500 AND (_rhei_valid_to IS NULL OR _rhei_valid_to > 1500)");
        Assert.Equal(("Alice", RheiRoute.Olap), (rhei, route));
        Assert.Equal(("Alice", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT name FROM users FOR SYSTEM_TIME AS OF 1500 WHERE id = 1"));
        Assert.Equal(("Bob", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT name FROM users FOR SYSTEM_TIME AS OF 2000 WHERE id = 1"));
        // A key lookup is SQLite's: it reads the source file (attached read-only), which has the current row too.
        Assert.Equal(("Bob", RheiRoute.Oltp), SidecarSource.Query(connection, "SELECT name FROM users WHERE id = 1"));
        Assert.Equal(("Bob", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT name FROM users WHERE id = 1", RheiRoute.Olap));
    }
}
