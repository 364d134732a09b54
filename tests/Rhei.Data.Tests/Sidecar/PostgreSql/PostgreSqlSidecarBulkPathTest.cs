using Npgsql;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// The fast paths of the PostgreSQL sidecar, through a real mirror: the initial copy written typed into DuckDB data
/// chunks must give exactly the values the replication stream gives the same rows; the set-based apply handles a
/// TRUNCATE; a Strong read with nothing written since the last one writes nothing to the server's WAL.
/// </summary>
[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlSidecarBulkPathTest(PostgreSqlServerFixture server) : IDisposable
{
    private const string Columns = "i2, i4, i8, f4, f8, n4, n9, n10, n18, b, t, ba, d, tm, ts, tz, j, nu";

    private readonly string _directory = Directory.CreateTempSubdirectory("rhei-pg-bulk-").FullName;

    [Fact]
    public async Task Initial_copy_through_data_chunks_gives_the_values_the_stream_gives_for_every_chunked_type()
    {
        var database = await server.CreateDatabaseAsync("bulk_types");

        // 5,000 rows: more than two chunks; short and long text (inline and heap strings), NULLs in every column.
        await server.ExecuteAsync(database, $"""
            CREATE TABLE v (id int PRIMARY KEY, i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision,
                            n4 numeric(4,1), n9 numeric(9,3), n10 numeric(10,2), n18 numeric(18,6), b boolean, t text, ba bytea,
                            d date, tm time, ts timestamp, tz timestamptz, j jsonb, nu numeric);
            CREATE FUNCTION row_of(g int) RETURNS SETOF v LANGUAGE sql AS $$
                SELECT g,
                       CASE WHEN g % 7 = 0 THEN NULL ELSE (g % 30000 - 15000)::smallint END,
                       CASE WHEN g % 11 = 0 THEN NULL ELSE g * -7919 END,
                       CASE WHEN g % 13 = 0 THEN NULL ELSE g::bigint * 1000000007 END,
                       CASE WHEN g % 17 = 0 THEN NULL ELSE (g / 3.0)::real END,
                       CASE WHEN g % 19 = 0 THEN NULL ELSE g / 7.0 END,
                       CASE WHEN g % 23 = 0 THEN NULL ELSE ((g % 1999) - 999) / 10.0 END,
                       CASE WHEN g % 73 = 0 THEN NULL ELSE (g % 99999) * 1.234 END,
                       CASE WHEN g % 29 = 0 THEN NULL ELSE g * -12345.67 END,
                       CASE WHEN g % 31 = 0 THEN NULL ELSE g * 1234567.891011 END,
                       CASE WHEN g % 37 = 0 THEN NULL ELSE g % 2 = 0 END,
                       CASE WHEN g % 41 = 0 THEN NULL WHEN g % 2 = 0 THEN 'é' || g ELSE repeat('long ✓ text ', g % 9 + 1) || g END,
                       CASE WHEN g % 43 = 0 THEN NULL ELSE decode(lpad(to_hex(g), 8, '0') || repeat('ab', g % 20), 'hex') END,
                       CASE WHEN g % 47 = 0 THEN NULL ELSE date '1950-03-01' + g * 13 END,
                       CASE WHEN g % 53 = 0 THEN NULL ELSE time '00:00:00.000001' + g * interval '17.123457 seconds' END,
                       CASE WHEN g % 59 = 0 THEN NULL ELSE timestamp '1969-12-31 23:59:59.999999' + g * interval '1 day 00:00:01.000001' END,
                       CASE WHEN g % 61 = 0 THEN NULL ELSE timestamptz '1960-01-01 00:00:00+05' + g * interval '3 days 00:00:00.000003' END,
                       CASE WHEN g % 67 = 0 THEN NULL ELSE jsonb_build_object('g', g, 'name', 'n' || g) END,
                       CASE WHEN g % 71 = 0 THEN NULL ELSE (g * 3.000000000000000000000000000000000001)::numeric END
            $$;
            INSERT INTO v SELECT r.* FROM generate_series(1, 5000) g, LATERAL row_of(g) r;
            """);
        var source = server.ReplicationConnectionString(database);
        await using var dataSource = RheiDataSource.Create(ConnectionString(database, source));
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(5000L, await ScalarAsync(connection, "SELECT count(*) FROM v"));

        // The same rows again, committed after the copy: they arrive through the stream and the row-by-row apply.
        var streamed = string.Join(", ", Columns.Split(", ").Select(c => "r." + c));
        await server.ExecuteAsync(database, $"INSERT INTO v SELECT 100000 + r.id, {streamed} FROM generate_series(1, 5000) g, LATERAL row_of(g) r");
        await connection.SyncAsync();
        Assert.Equal(10000L, await ScalarAsync(connection, "SELECT count(*) FROM v"));

        var same = string.Join(" AND ", Columns.Split(", ").Select(c => $"a.{c} IS NOT DISTINCT FROM b.{c}"));
        Assert.Equal(5000L, await ScalarAsync(connection, $"SELECT count(*) FROM v a JOIN v b ON b.id = a.id + 100000 WHERE {same}"));

        // And the copied values are PostgreSQL's, read back by DuckDB: a spot check against the source's own text.
        Assert.Equal(
            await SourceTextAsync(source, "SELECT concat_ws('|', i2, i4, i8, n4, n9, n10, n18, CASE WHEN b THEN 'true' ELSE 'false' END, t, d, (extract(epoch FROM ts) * 1000000)::bigint, nu) FROM v WHERE id = 4002"),
            await ScalarAsync(connection, "SELECT concat_ws('|', i2, i4, i8, n4, n9, n10, n18, CASE WHEN b THEN 'true' ELSE 'false' END, t, d, epoch_us(ts), nu) FROM v WHERE id = 4002"));
    }

    [Fact]
    public async Task Truncate_at_the_source_empties_the_mirror_and_later_inserts_apply()
    {
        var database = await server.CreateDatabaseAsync("bulk_truncate");
        await server.ExecuteAsync(database, "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 100) g");
        await using var dataSource = RheiDataSource.Create(ConnectionString(database, server.ReplicationConnectionString(database)));
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(100L, await ScalarAsync(connection, "SELECT count(*) FROM t"));

        // One transaction: the update before the truncate is gone with it, the insert after it stays. The Strong
        // read (the default) waits until the mirror applied the transaction.
        await server.ExecuteAsync(database, "UPDATE t SET v = 'before' WHERE id = 1; TRUNCATE t; INSERT INTO t VALUES (7, 'after')");
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT count(*) FROM t"));
        Assert.Equal("after", await ScalarAsync(connection, "SELECT v FROM t WHERE id = 7"));
    }

    [Fact]
    public async Task Strong_read_with_nothing_written_since_the_last_one_writes_no_fence_and_still_sees_a_new_commit()
    {
        var database = await server.CreateDatabaseAsync("bulk_fence");
        await server.ExecuteAsync(database, "CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL); INSERT INTO t VALUES (1, 1)");
        var source = server.ReplicationConnectionString(database);
        await using var dataSource = RheiDataSource.Create(ConnectionString(database, source) + ";Freshness=Strong");
        await using var connection = await dataSource.OpenConnectionAsync();
        await ScalarAsync(connection, "SELECT sum(v) FROM t");

        // Idle server: some Strong read must leave the WAL insert position where it was (other WAL, say a
        // checkpoint, may move it now and then, so a few tries; without the quiet path every read writes a fence).
        var quiet = false;
        for (var attempt = 0; attempt < 10 && !quiet; attempt++)
        {
            await ScalarAsync(connection, "SELECT sum(v) FROM t");
            var before = await SourceTextAsync(source, "SELECT pg_current_wal_insert_lsn()::text");
            await ScalarAsync(connection, "SELECT sum(v) FROM t");
            quiet = before == await SourceTextAsync(source, "SELECT pg_current_wal_insert_lsn()::text");
        }

        Assert.True(quiet, "every Strong read wrote to the WAL although nothing was written between them");

        // A commit by another client right after: the next Strong read sees it.
        await server.ExecuteAsync(database, "UPDATE t SET v = 41 WHERE id = 1");
        Assert.Equal(41L, Convert.ToInt64(await ScalarAsync(connection, "SELECT sum(v) FROM t"), System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        RheiConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string ConnectionString(string database, string source)
        => $"Data Source={Path.Combine(_directory, database + ".db")};Olap=DuckDb;Sidecar=PostgreSql;Sidecar Capture=LogicalReplication;"
            + $"Sidecar Replication Name={database};Sidecar Source=\"{source}\";Sync Interval=0";

    private static async Task<object?> ScalarAsync(RheiConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Route = RheiRoute.Olap;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        Assert.True(await reader.ReadAsync());
        return reader.IsDBNull(0) ? null : reader.GetValue(0);
    }

    private static async Task<string?> SourceTextAsync(string source, string sql)
    {
        await using var connection = new NpgsqlConnection(source);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
