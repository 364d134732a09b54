namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// A PostgreSQL server followed through a <see cref="RheiConnection"/>, for what the pipeline adds to the sources: key
/// scans, progress of a copy, status rows, a column added at the source, and a slot reused after a restart.
/// </summary>
[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlSidecarPipelineTest(PostgreSqlServerFixture server)
{
    [Theory]
    [InlineData("Destructive")]
    [InlineData("Temporal")]
    public async Task Delete_detection_key_scan_finds_rows_deleted_at_the_PostgreSQL_source(string mode)
    {
        using var sidecar = await CreateAsync("keyscan_" + mode.ToLowerInvariant(), "Timestamp", """
            CREATE TABLE users (id int PRIMARY KEY, name text, updated_at timestamptz NOT NULL);
            INSERT INTO users VALUES (1, 'a', '2026-01-01+00'), (2, 'b', '2026-01-01+00'), (3, 'c', '2026-01-01+00');
            """);
        await using var dataSource = RheiDataSource.Create(sidecar.ConnectionString($"Sync Mode={mode};Delete Detection=KeyScan"));
        await using var connection = await dataSource.OpenConnectionAsync();
        await sidecar.ExecuteAsync("DELETE FROM users WHERE id IN (1, 3); INSERT INTO users VALUES (4, 'd', '2026-01-02+00')");

        var result = await connection.SyncAsync();

        Assert.Equal((1L, 2L), (result.RowsInserted, result.RowsDeleted));
        var current = mode == "Temporal" ? " WHERE _rhei_valid_to IS NULL" : "";
        Assert.Equal(("2; 4", RheiRoute.Olap), SidecarSource.Query(connection, $"SELECT id FROM users{current} ORDER BY id", RheiRoute.Olap));
        if (mode == "Temporal")
        {
            // The deleted keys' versions are closed, not removed.
            Assert.Equal(("1; 3", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT id FROM users WHERE _rhei_valid_to IS NOT NULL ORDER BY id", RheiRoute.Olap));
        }

        Assert.Equal(0L, (await connection.SyncAsync()).RowsDeleted);
    }

    [Theory]
    [InlineData("Destructive")]
    [InlineData("Temporal")]
    public async Task Delete_detection_soft_delete_takes_a_flagged_row_out_of_the_current_rows_and_disabled_keeps_a_deleted_one(string mode)
    {
        using var sidecar = await CreateAsync("softdel_" + mode.ToLowerInvariant(), "Timestamp", """
            CREATE TABLE users (id int PRIMARY KEY, deleted boolean NOT NULL DEFAULT false, updated_at timestamptz NOT NULL);
            INSERT INTO users (id, updated_at) VALUES (1, '2026-01-01+00'), (2, '2026-01-01+00'), (3, '2026-01-01+00');
            """);
        var current = mode == "Temporal" ? " WHERE _rhei_valid_to IS NULL" : "";
        await using (var softDelete = RheiDataSource.Create(sidecar.ConnectionString($"Sync Mode={mode};Delete Detection=SoftDelete;Soft Delete Column=deleted")))
        {
            await using var connection = await softDelete.OpenConnectionAsync();
            await sidecar.ExecuteAsync("UPDATE users SET deleted = true, updated_at = '2026-01-02+00' WHERE id = 2");
            Assert.Equal(1L, (await connection.SyncAsync()).RowsDeleted);
            Assert.Equal(("1; 3", RheiRoute.Olap), SidecarSource.Query(connection, $"SELECT id FROM users{current} ORDER BY id", RheiRoute.Olap));
        }

        // Disabled: a row deleted at the source stays in the mirror (rhei's default).
        await using var disabled = RheiDataSource.Create(sidecar.ConnectionString($"Sync Mode={mode}"));
        await using var plain = await disabled.OpenConnectionAsync();
        await sidecar.ExecuteAsync("DELETE FROM users WHERE id = 3");
        Assert.Equal(0L, (await plain.SyncAsync()).RowsDeleted);
        Assert.Equal(("1; 2; 3", RheiRoute.Olap), SidecarSource.Query(plain, $"SELECT id FROM users{current} ORDER BY id", RheiRoute.Olap));
    }

    [Theory]
    [InlineData("Timestamp")]
    [InlineData("LogicalReplication")]
    public async Task Copy_of_the_followed_tables_reports_progress_rising_to_the_row_count(string capture)
    {
        using var sidecar = await CreateAsync("progress_" + capture.ToLowerInvariant(), capture, """
            CREATE TABLE facts (id int PRIMARY KEY, v int NOT NULL, updated_at timestamptz NOT NULL DEFAULT '2026-01-01+00');
            CREATE TABLE dims (id int PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT '2026-01-01+00');
            INSERT INTO facts (id, v) SELECT g, g FROM generate_series(1, 25000) g;
            INSERT INTO dims (id, name) SELECT g, 'd' || g FROM generate_series(1, 7000) g;
            """);
        await using var dataSource = RheiDataSource.Create(sidecar.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        var reports = new RecordingProgress();

        var rows = await connection.InitialSyncAllAsync(reports);

        Assert.Equal(32_000L, rows);
        Assert.True(reports.Values.Count >= 3, $"progress was reported {reports.Values.Count} times");
        Assert.Equal(reports.Values.Order(), reports.Values);
        Assert.Equal(32_000L, reports.Values[^1]);
        Assert.Equal(32_000L, Convert.ToInt64(Scalar(connection, "SELECT (SELECT count(*) FROM facts) + (SELECT count(*) FROM dims)"), System.Globalization.CultureInfo.InvariantCulture));

        // A followed table asked for alone is copied with the others (their position is one snapshot).
        var single = new RecordingProgress();
        Assert.Equal(32_000L, await connection.InitialSyncAsync("dims", single));
        Assert.Equal(32_000L, single.Values[^1]);
    }

    [Fact]
    public async Task Rhei_status_shows_capture_LSN_lag_and_state_of_each_logical_replication_table()
    {
        using var sidecar = await CreateAsync("status_lr", "LogicalReplication", """
            CREATE TABLE orders (id int PRIMARY KEY, amount int NOT NULL);
            INSERT INTO orders SELECT g, g FROM generate_series(1, 10) g;
            """);
        await using var dataSource = RheiDataSource.Create(sidecar.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        await sidecar.ExecuteAsync("INSERT INTO orders VALUES (11, 11)");
        await connection.SyncAsync();

        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA rhei_status";
        await using var reader = await command.ExecuteReaderAsync();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        Assert.True(await reader.ReadAsync());
        string Column(string name) => Convert.ToString(reader.GetValue(columns.IndexOf(name)), System.Globalization.CultureInfo.InvariantCulture)!;
        Assert.Equal("orders", Column("table_name"));
        Assert.Equal("LogicalReplication", Column("capture"));
        Assert.Equal("Active", Column("state"));
        Assert.Equal("11", Column("rows"));
        Assert.Equal("0", Column("lag"));
        Assert.True(NpgsqlTypes.NpgsqlLogSequenceNumber.TryParse(Column("position"), out var lsn), Column("position"));
        // The slot is never confirmed past what the mirror committed.
        Assert.True(await sidecar.SlotConfirmedAtOrBeforeAsync(lsn.ToString()));
        Assert.True(Convert.ToInt64(reader.GetValue(columns.IndexOf("lag_bytes")), System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.IsType<double>(reader.GetValue(columns.IndexOf("lag_seconds")));
        Assert.False(await reader.ReadAsync());

        var table = Assert.Single((await connection.GetSyncStatusAsync()).Tables);
        Assert.NotNull(table.SourceLagBytes);
        Assert.Equal(lsn.ToString(), table.SourcePosition);
    }

    [Fact]
    public async Task Drop_sidecar_slot_removes_slot_and_publication_only_on_request_and_the_next_start_copies_afresh()
    {
        using var sidecar = await CreateAsync("drop_lr", "LogicalReplication", """
            CREATE TABLE t (id int PRIMARY KEY, v text);
            INSERT INTO t VALUES (1, 'a');
            """);
        var cs = sidecar.ConnectionString(durable: true);
        var slots = $"SELECT (SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{sidecar.Database}') + (SELECT count(*) FROM pg_publication WHERE pubname = '{sidecar.Database}')";
        await using (var first = RheiDataSource.Create(cs))
        {
            await using var connection = await first.OpenConnectionAsync();
        }

        // Closing the data source keeps both: the slot holds the changes for the next start.
        Assert.Equal(2L, await server.ScalarAsSuperUserAsync(sidecar.Database, slots));
        await using (var second = RheiDataSource.Create(cs))
        {
            await using var connection = await second.OpenConnectionAsync();
            await connection.DropSidecarSlotAsync();
            Assert.Equal(0L, await server.ScalarAsSuperUserAsync(sidecar.Database, slots));
            var refused = await Assert.ThrowsAsync<RheiException>(() => connection.SyncAsync());
            Assert.Equal("PostgreSQL", refused.Engine);
            Assert.Contains("DropSidecarSlotAsync", refused.Message, StringComparison.Ordinal);
            // Copying again would make a slot nothing streams from.
            await Assert.ThrowsAsync<RheiException>(() => connection.InitialSyncAllAsync());
            Assert.Equal(0L, await server.ScalarAsSuperUserAsync(sidecar.Database, slots));
        }

        await sidecar.ExecuteAsync("INSERT INTO t VALUES (2, 'b')");
        await using var third = RheiDataSource.Create(cs);
        await using var reopened = await third.OpenConnectionAsync();
        Assert.Equal(("1|a; 2|b", RheiRoute.Olap), SidecarSource.Query(reopened, "SELECT id, v FROM t ORDER BY id"));
        Assert.Equal(2L, await server.ScalarAsSuperUserAsync(sidecar.Database, slots));
        await sidecar.ExecuteAsync("INSERT INTO t VALUES (3, 'c')");
        await reopened.SyncAsync();
        Assert.Equal(("1|a; 2|b; 3|c", RheiRoute.Olap), SidecarSource.Query(reopened, "SELECT id, v FROM t ORDER BY id"));
    }

    [Fact]
    public async Task Drop_sidecar_slot_on_a_timestamp_source_says_there_is_no_slot()
    {
        using var sidecar = await CreateAsync("drop_ts", "Timestamp", "CREATE TABLE t (id int PRIMARY KEY, updated_at timestamptz NOT NULL)");
        await using var dataSource = RheiDataSource.Create(sidecar.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => connection.DropSidecarSlotAsync());
        Assert.Contains("LogicalReplication", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LogicalReplication")]
    [InlineData("Timestamp")]
    public async Task Column_added_at_the_source_reaches_the_mirror_through_the_connection_and_is_filled_from_then_on(string capture)
    {
        using var sidecar = await CreateAsync("ddl_" + capture.ToLowerInvariant(), capture, """
            CREATE TABLE users (id int PRIMARY KEY, name text, updated_at timestamptz NOT NULL DEFAULT clock_timestamp());
            INSERT INTO users (id, name) VALUES (1, 'a');
            """);
        await using var dataSource = RheiDataSource.Create(sidecar.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        await sidecar.ExecuteAsync("""
            ALTER TABLE users ADD COLUMN email text;
            INSERT INTO users (id, name, email) VALUES (2, 'b', 'b@example.org');
            UPDATE users SET email = 'a@example.org', updated_at = clock_timestamp() WHERE id = 1;
            """);

        await connection.SyncAsync();

        Assert.Equal(("1|a|a@example.org; 2|b|b@example.org", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT id, name, email FROM users ORDER BY id"));
        var status = Assert.Single((await connection.GetSyncStatusAsync()).Tables);
        Assert.Equal(RheiTableSyncState.Active, status.State);
    }

    [Fact]
    public async Task Data_source_restarted_on_a_durable_mirror_reuses_its_slot_and_gets_the_changes_made_while_it_was_down()
    {
        using var sidecar = await CreateAsync("reuse_lr", "LogicalReplication", """
            CREATE TABLE t (id int PRIMARY KEY, v text);
            INSERT INTO t VALUES (1, 'a'), (2, 'b');
            """);
        var cs = sidecar.ConnectionString(durable: true);
        await using (var first = RheiDataSource.Create(cs))
        {
            await using var connection = await first.OpenConnectionAsync();
            await sidecar.ExecuteAsync("UPDATE t SET v = 'a2' WHERE id = 1");
            await connection.SyncAsync();
        }

        await sidecar.ExecuteAsync("DELETE FROM t WHERE id = 2; INSERT INTO t VALUES (3, 'c')");
        await using var second = RheiDataSource.Create(cs);
        await using var reopened = await second.OpenConnectionAsync();
        var result = await reopened.SyncAsync();

        // Resumed from the stored LSN on the same slot: only the two changes made while it was down, no copy.
        Assert.Equal(2L, result.EventsProcessed);
        Assert.Equal(("1|a2; 3|c", RheiRoute.Olap), SidecarSource.Query(reopened, "SELECT id, v FROM t ORDER BY id"));
        Assert.Equal(1L, await server.ScalarAsSuperUserAsync(sidecar.Database, $"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{sidecar.Database}'"));
    }

    private async Task<PostgreSqlSidecar> CreateAsync(string prefix, string capture, string schema)
    {
        var database = await server.CreateDatabaseAsync(prefix);
        await server.ExecuteAsync(database, schema);
        return new PostgreSqlSidecar(server, database, capture);
    }

    private static object? Scalar(RheiConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Route = RheiRoute.Olap;
        return command.ExecuteScalar();
    }

    /// <summary>Keeps every report, synchronously (unlike <see cref="Progress{T}"/>, which posts them).</summary>
    private sealed class RecordingProgress : IProgress<long>
    {
        public List<long> Values { get; } = [];

        public void Report(long value) => Values.Add(value);
    }
}
