using Rhei.Data.Sidecar;
using Rhei.Data.Sidecar.PostgreSql;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlTimestampSourceTest(PostgreSqlServerFixture server)
{
    [Fact]
    public async Task Compound_watermark_polls_1000_rows_sharing_one_updated_at_with_none_skipped_or_repeated()
    {
        var database = await server.CreateDatabaseAsync("ts_ties");
        await server.ExecuteAsync(database, """
            CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL, updated_at timestamptz);
            INSERT INTO orders SELECT g, g * 1.25, '2026-01-01 00:00:00+00' FROM generate_series(1, 10) g;
            """);
        await using var source = new PostgreSqlTimestampSource();
        var settings = SidecarTestSettings.For(server.ReplicationConnectionString(database)) with { PollBatchSize = 70 };
        var tables = await source.OpenAsync(settings, CancellationToken.None);
        var sink = new RecordingRowSink();
        var position = await source.CopyAsync(tables, sink, null, CancellationToken.None);
        Assert.Equal(10, sink.Of("orders").Count);

        // 1,000 rows with one updated_at, read 70 at a time: the key breaks every tie inside a page and across pages.
        await server.ExecuteAsync(database, "INSERT INTO orders SELECT g, g, '2026-06-01 12:00:00.5+00' FROM generate_series(11, 1010) g");
        var seen = new List<long>();
        for (var round = 0; round < 100; round++)
        {
            var batch = await source.ReadAsync(position, settings.PollBatchSize, CancellationToken.None);
            Assert.True(batch.Changes.Count <= 70);
            seen.AddRange(batch.Changes.Select(c => (long)c.Key[0]!));
            position = batch.Position;
            if (batch.Changes.Count == 0)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range(11, 1000).Select(i => (long)i), seen.Order());
        Assert.Equal(1000, seen.Distinct().Count());
        Assert.Empty((await source.ReadAsync(position, 70, CancellationToken.None)).Changes);
    }

    [Fact]
    public async Task Initial_copy_and_polls_hand_over_mapped_values_and_the_updated_at_as_commit_time()
    {
        var database = await server.CreateDatabaseAsync("ts_values");
        await server.ExecuteAsync(database, """
            CREATE TABLE items (id int PRIMARY KEY, name text, price numeric(10,3), updated_at timestamp NOT NULL);
            INSERT INTO items VALUES (1, 'one', 1.5, '2026-01-01 00:00:00'), (2, NULL, NULL, '2026-01-01 00:00:01');
            """);
        await using var source = new PostgreSqlTimestampSource();
        var tables = await source.OpenAsync(SidecarTestSettings.For(server.ReplicationConnectionString(database)), CancellationToken.None);
        var table = Assert.Single(tables);
        Assert.Equal("updated_at", table.UpdatedAtColumn);
        Assert.Equal(["INTEGER", "VARCHAR", "DECIMAL(10,3)", "TIMESTAMP"], table.Columns.Select(c => c.DuckDbType));
        var sink = new RecordingRowSink();
        var position = await source.CopyAsync(tables, sink, null, CancellationToken.None);
        Assert.Equal([1, "one", 1.500m, new DateTime(2026, 1, 1)], sink.Of("items")[0]);

        await server.ExecuteAsync(database, "UPDATE items SET name = 'uno', updated_at = '2026-02-01 10:00:00' WHERE id = 1");
        var batch = await source.ReadAsync(position, 100, CancellationToken.None);
        var change = Assert.Single(batch.Changes);
        Assert.Equal(SidecarChangeKind.Upsert, change.Kind);
        Assert.Equal([1], change.Key);
        Assert.Equal([1, "uno", 1.5m, new DateTime(2026, 2, 1, 10, 0, 0)], change.Values!);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero), change.CommitTime);
        Assert.Contains("2026-02-01 10:00:00", batch.Position.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Soft_delete_column_set_is_a_delete_and_such_rows_are_not_copied()
    {
        var database = await server.CreateDatabaseAsync("ts_soft");
        await server.ExecuteAsync(database, """
            CREATE TABLE users (id int PRIMARY KEY, deleted_at timestamptz, updated_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO users (id, deleted_at) VALUES (1, NULL), (2, now()), (3, NULL);
            """);
        await using var source = new PostgreSqlTimestampSource();
        var settings = SidecarTestSettings.For(server.ReplicationConnectionString(database)) with
        {
            DeleteDetection = SidecarDeleteDetection.SoftDelete,
            SoftDeleteColumn = "deleted_at",
        };
        var tables = await source.OpenAsync(settings, CancellationToken.None);
        var sink = new RecordingRowSink();
        var position = await source.CopyAsync(tables, sink, null, CancellationToken.None);
        Assert.Equal([1, 3], sink.Of("users").Select(r => (int)r[0]!));

        await server.ExecuteAsync(database, "UPDATE users SET deleted_at = now(), updated_at = now() + interval '1 hour' WHERE id = 3");
        var change = Assert.Single((await source.ReadAsync(position, 100, CancellationToken.None)).Changes);
        Assert.Equal(SidecarChangeKind.Delete, change.Kind);
        Assert.Equal([3], change.Key);
        Assert.Null(change.Values);
    }

    [Fact]
    public async Task Current_position_is_covered_only_once_the_newest_row_was_read()
    {
        var database = await server.CreateDatabaseAsync("ts_current");
        await server.ExecuteAsync(database, "CREATE TABLE t (id int PRIMARY KEY, updated_at timestamptz NOT NULL); INSERT INTO t VALUES (1, '2026-01-01+00')");
        await using var source = new PostgreSqlTimestampSource();
        var tables = await source.OpenAsync(SidecarTestSettings.For(server.ReplicationConnectionString(database)), CancellationToken.None);
        var position = await source.CopyAsync(tables, new RecordingRowSink(), null, CancellationToken.None);
        Assert.True(source.Covers(position, await source.CurrentPositionAsync(CancellationToken.None)));

        await server.ExecuteAsync(database, "INSERT INTO t VALUES (2, '2026-01-01+00'), (3, '2026-01-02+00')");
        var target = await source.CurrentPositionAsync(CancellationToken.None);
        Assert.False(source.Covers(position, target));
        var batch = await source.ReadAsync(position, 1, CancellationToken.None);
        Assert.False(source.Covers(batch.Position, target));
        batch = await source.ReadAsync(batch.Position, 10, CancellationToken.None);
        Assert.True(source.Covers(batch.Position, target));
    }

    [Fact]
    public async Task Table_without_the_updated_at_column_is_refused_naming_the_table_and_the_setting()
    {
        var database = await server.CreateDatabaseAsync("ts_nocol");
        await server.ExecuteAsync(database, "CREATE TABLE plain (id int PRIMARY KEY, v text)");
        await using var source = new PostgreSqlTimestampSource();
        var ex = await Assert.ThrowsAsync<RheiException>(() => source.OpenAsync(SidecarTestSettings.For(server.ReplicationConnectionString(database)), CancellationToken.None));
        Assert.Equal("PostgreSQL", ex.Engine);
        Assert.Contains("plain", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Updated At Column", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_source_from_a_stored_watermark_continues_with_nothing_missed_or_repeated()
    {
        var database = await server.CreateDatabaseAsync("ts_restart");
        await server.ExecuteAsync(database, "CREATE TABLE t (id int PRIMARY KEY, updated_at timestamptz NOT NULL); INSERT INTO t SELECT g, '2026-01-01+00' FROM generate_series(1, 5) g");
        var settings = SidecarTestSettings.For(server.ReplicationConnectionString(database));
        SidecarPosition stored;
        await using (var first = new PostgreSqlTimestampSource())
        {
            var tables = await first.OpenAsync(settings, CancellationToken.None);
            stored = await first.CopyAsync(tables, new RecordingRowSink(), null, CancellationToken.None);
            await server.ExecuteAsync(database, "INSERT INTO t SELECT g, '2026-01-01+00' FROM generate_series(6, 8) g");
            stored = (await first.ReadAsync(stored, 2, CancellationToken.None)).Position;
        }

        await using var second = new PostgreSqlTimestampSource();
        await second.OpenAsync(settings, CancellationToken.None);
        var batch = await second.ReadAsync(stored, 100, CancellationToken.None);
        Assert.Equal([8], batch.Changes.Select(c => (int)c.Key[0]!));
    }
}
