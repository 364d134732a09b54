namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// TRUNCATE of a followed table on a real PostgreSQL server, streamed by logical replication: the destructive mirror
/// is emptied; the temporal mirror closes every live version at the truncate's commit time (history kept), and the
/// rows written after it in the same batch open new versions.
/// </summary>
[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlSidecarTruncateTest(PostgreSqlServerFixture server)
{
    [Fact]
    public async Task Truncate_in_temporal_mode_closes_every_live_version_at_the_commit_time()
    {
        using var sidecar = await CreateAsync("trunc_temporal", """
            CREATE TABLE t (id int PRIMARY KEY, v text);
            INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c');
            """);
        await using var dataSource = RheiDataSource.Create(sidecar.ConnectionString("Sync Mode=Temporal"));
        await using var connection = await dataSource.OpenConnectionAsync();
        await sidecar.ExecuteAsync("UPDATE t SET v = 'b2' WHERE id = 2");
        await connection.SyncAsync();

        // One batch: an update before the truncate, the truncate, and a row written after it.
        await sidecar.ExecuteAsync("UPDATE t SET v = 'a2' WHERE id = 1");
        // Apart in time from the update (the as-of check below reads one millisecond before the truncate).
        await sidecar.ExecuteAsync("SELECT pg_sleep(0.02)");
        await sidecar.ExecuteAsync("TRUNCATE t");
        var truncatedAt = (long)(await server.ScalarAsSuperUserAsync(sidecar.Database, "SELECT (extract(epoch FROM now()) * 1000)::bigint"))!;
        await sidecar.ExecuteAsync("INSERT INTO t VALUES (4, 'd')");
        var result = await connection.SyncAsync();

        // Live before the truncate: 1 (a2), 2 (b2), 3 (c): three versions closed.
        Assert.Equal(3L, result.RowsDeleted);
        Assert.Equal(("4|d", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT id, v FROM t WHERE _rhei_valid_to IS NULL ORDER BY id", RheiRoute.Olap));
        Assert.Equal(
            ("1|a; 1|a2; 2|b; 2|b2; 3|c; 4|d", RheiRoute.Olap),
            SidecarSource.Query(connection, "SELECT id, v FROM t ORDER BY id, _rhei_valid_from, v", RheiRoute.Olap));

        // The truncated versions all closed at one instant, the truncate's commit, before the statement that read now() after it.
        var (closes, _) = SidecarSource.Query(connection, "SELECT count(DISTINCT _rhei_valid_to) FROM t WHERE v IN ('a2', 'b2', 'c')", RheiRoute.Olap);
        Assert.Equal("1", closes);
        var (closedAt, _) = SidecarSource.Query(connection, "SELECT max(_rhei_valid_to) FROM t WHERE v IN ('a2', 'b2', 'c')", RheiRoute.Olap);
        Assert.InRange(long.Parse(closedAt, System.Globalization.CultureInfo.InvariantCulture), truncatedAt - 60_000, truncatedAt);
        var (opened, _) = SidecarSource.Query(connection, "SELECT _rhei_valid_from FROM t WHERE id = 4", RheiRoute.Olap);
        Assert.True(long.Parse(opened, System.Globalization.CultureInfo.InvariantCulture) >= long.Parse(closedAt, System.Globalization.CultureInfo.InvariantCulture));

        // As of a moment before the truncate, the table's rows then.
        Assert.Equal(
            ("1|a2; 2|b2; 3|c", RheiRoute.Olap),
            SidecarSource.Query(connection, $"SELECT id, v FROM t WHERE _rhei_valid_from <= {closedAt} - 1 AND (_rhei_valid_to IS NULL OR _rhei_valid_to > {closedAt} - 1) ORDER BY id", RheiRoute.Olap));

        // The server's replication slots are few and shared by every test.
        await connection.DropSidecarSlotAsync();
    }

    [Fact]
    public async Task Truncate_in_destructive_mode_empties_the_mirror_and_keeps_the_rows_written_after_it()
    {
        using var sidecar = await CreateAsync("trunc_destructive", """
            CREATE TABLE t (id int PRIMARY KEY, v text);
            INSERT INTO t VALUES (1, 'a'), (2, 'b');
            """);
        await using var dataSource = RheiDataSource.Create(sidecar.ConnectionString());
        await using var connection = await dataSource.OpenConnectionAsync();
        await sidecar.ExecuteAsync("UPDATE t SET v = 'a2' WHERE id = 1");
        await sidecar.ExecuteAsync("TRUNCATE t");
        await sidecar.ExecuteAsync("INSERT INTO t VALUES (3, 'c')");

        var result = await connection.SyncAsync();

        Assert.Equal(2L, result.RowsDeleted);
        Assert.Equal(("3|c", RheiRoute.Olap), SidecarSource.Query(connection, "SELECT id, v FROM t ORDER BY id", RheiRoute.Olap));
        await connection.DropSidecarSlotAsync();
    }

    private async Task<PostgreSqlSidecar> CreateAsync(string prefix, string schema)
    {
        var database = await server.CreateDatabaseAsync(prefix);
        await server.ExecuteAsync(database, schema);
        return new PostgreSqlSidecar(server, database, "LogicalReplication");
    }
}
