using Npgsql;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

/// <summary>
/// The initial copy of a large PostgreSQL table in ctid ranges on several connections of one snapshot, with another
/// client writing to the table while the copy runs (from inside the copy's own progress reports, so the writes are
/// certainly committed mid-copy: once while a small table is copied before it, so before the extra connections are
/// opened, and once while its own ranges are copied): the mirror right after the start holds exactly the snapshot's
/// rows, and after a sync exactly the source's, each row once — for logical replication (the stream continues at
/// the slot's consistent point) and timestamp capture (the watermark is the one the snapshot saw).
/// </summary>
[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlParallelCopyTest(PostgreSqlServerFixture server)
{
    // 150,000 rows of about 100 bytes: some 2,000 pages, well over the 512 from which a table is copied in ranges.
    private const int Rows = 150_000;

    // Copied whole on one connection, before t: more than one progress report's worth of rows.
    private const int SmallRows = 25_000;

    private const string Digest = "concat_ws(':', count(*), count(DISTINCT id), sum(id), sum(v), sum(length(pad)))";

    [Theory]
    [InlineData("LogicalReplication")]
    [InlineData("Timestamp")]
    public async Task Parallel_copy_of_a_table_written_during_the_copy_gives_the_snapshot_then_the_stream_each_row_once(string capture)
    {
        var database = await server.CreateDatabaseAsync("par_copy");
        using var sidecar = new PostgreSqlSidecar(server, database, capture);
        await sidecar.ExecuteAsync($"""
            CREATE TABLE a (id bigint PRIMARY KEY, updated_at timestamptz NOT NULL);
            INSERT INTO a SELECT g, timestamptz '2026-01-01' + g * interval '1 ms' FROM generate_series(1, {SmallRows}) g;
            CREATE TABLE t (id bigint PRIMARY KEY, v bigint NOT NULL, pad text NOT NULL, updated_at timestamptz NOT NULL);
            CREATE INDEX t_updated ON t (updated_at);
            INSERT INTO t SELECT g, g, repeat('p', 40 + g % 30), timestamptz '2026-01-01' + g * interval '1 ms' FROM generate_series(1, {Rows}) g;
            """);
        await sidecar.ExecuteAsync("VACUUM ANALYZE t");
        var before = await sidecar.SourceRowsAsync($"SELECT {Digest} FROM t");

        // Updates and deletes spread over every page (so over every range), inserts at the end; timestamp capture
        // cannot see deletes (Delete Detection=Disabled), so it gets none. Copied first (by name), table a takes the
        // first writes; the second come while t's ranges are being copied.
        var whileSmall = new List<string>
        {
            "UPDATE t SET v = v + 1000000, updated_at = clock_timestamp() WHERE id % 97 = 0",
            $"INSERT INTO t SELECT g, g, 'new', clock_timestamp() FROM generate_series({Rows + 1}, {Rows + 2000}) g",
        };
        var whileLarge = new List<string>
        {
            "UPDATE t SET v = v + 7, updated_at = clock_timestamp() WHERE id % 101 = 0",
            $"INSERT INTO t SELECT g, g, 'newer', clock_timestamp() FROM generate_series({Rows + 2001}, {Rows + 3000}) g",
        };
        if (capture == "LogicalReplication")
        {
            whileSmall.Add("DELETE FROM t WHERE id % 89 = 0");
            whileLarge.Add("DELETE FROM t WHERE id % 83 = 0");
        }

        var progress = new WritingProgress(sidecar.SourceConnectionString, whileSmall, SmallRows + 40_000, whileLarge);
        await using var dataSource = new RheiDataSourceBuilder(sidecar.ConnectionString("Freshness=Eventual")).UseSidecarCopyProgress(progress).Build();
        await using var connection = await dataSource.OpenConnectionAsync();

        try
        {
            Assert.True(progress.WroteWhileLarge, "the copy reported no progress while it copied the large table");
            Assert.True(progress.CopyConnections >= 2, $"the copy ran its ctid ranges on {progress.CopyConnections} connection(s)");
            Assert.Equal(SmallRows + Rows, progress.Last);

            // Right after the start (Eventual, no cycle yet): exactly the snapshot's rows, none of the writes.
            Assert.Equal(before, await MirrorAsync(connection, $"SELECT {Digest} FROM t"));

            // Then the stream (or the poll) brings exactly the writes: the mirror equals the source, each row once.
            await connection.SyncAsync();
            var after = await sidecar.SourceRowsAsync($"SELECT {Digest} FROM t");
            Assert.NotEqual(before, after);
            Assert.Equal(after, await MirrorAsync(connection, $"SELECT {Digest} FROM t"));
            Assert.Equal(
                await sidecar.SourceRowsAsync("SELECT concat_ws(':', count(*), sum(v)) FROM t WHERE id % 97 = 0 OR id % 101 = 0"),
                await MirrorAsync(connection, "SELECT concat_ws(':', count(*), sum(v)) FROM t WHERE id % 97 = 0 OR id % 101 = 0"));
        }
        finally
        {
            // The shared server has 40 slots: this test's is dropped, not left for the rest of the run.
            if (capture == "LogicalReplication")
            {
                await connection.DropSidecarSlotAsync();
            }
        }
    }

    private static async Task<string> MirrorAsync(RheiConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.Equal(RheiRoute.Olap, reader.Route);
        Assert.True(await reader.ReadAsync());
        return reader.GetString(0);
    }

    /// <summary>
    /// Hears the copy's progress on the copying flow and commits writes through a connection of its own (a separate
    /// client): <paramref name="first"/> at the first report, <paramref name="later"/> at the first report of at least
    /// <paramref name="laterFrom"/> rows, when it also counts the connections that ran a ranged COPY.
    /// </summary>
    private sealed class WritingProgress(string source, IReadOnlyList<string> first, long laterFrom, IReadOnlyList<string> later) : IProgress<long>
    {
        private bool _wroteFirst;

        public bool WroteWhileLarge { get; private set; }

        public long CopyConnections { get; private set; }

        public long Last { get; private set; }

        public void Report(long value)
        {
            Last = value;
            if (!_wroteFirst)
            {
                _wroteFirst = true;
                Write(first);
            }
            else if (!WroteWhileLarge && value >= laterFrom)
            {
                WroteWhileLarge = true;
                using var connection = new NpgsqlConnection(source);
                connection.Open();
                using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY (SELECT%ctid%' AND pid <> pg_backend_pid()", connection);
                CopyConnections = (long)count.ExecuteScalar()!;
                Write(later);
            }
        }

        private void Write(IReadOnlyList<string> writes)
        {
            using var connection = new NpgsqlConnection(source);
            connection.Open();
            foreach (var sql in writes)
            {
                using var write = new NpgsqlCommand(sql, connection);
                write.ExecuteNonQuery();
            }
        }
    }
}
