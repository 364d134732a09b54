using Rhei.Data.Sidecar;
using Rhei.Data.Sidecar.PostgreSql;

namespace Rhei.Data.Tests.Sidecar.PostgreSql;

[Collection(PostgreSqlServerCollection.Name)]
public sealed class PostgreSqlLogicalReplicationSourceTest(PostgreSqlServerFixture server)
{
    // Replication slots are the whole server's: each test names its own after its database.
    private SidecarSettings Settings(string database) => SidecarTestSettings.For(server.ReplicationConnectionString(database)) with { ReplicationName = database };

    private async Task<(string Database, PostgreSqlLogicalReplicationSource Source, ReplicationConsumer Consumer, RecordingRowSink Copy)> StartAsync(string prefix, string schema)
    {
        var database = await server.CreateDatabaseAsync(prefix);
        await server.ExecuteAsync(database, schema);
        var source = new PostgreSqlLogicalReplicationSource();
        var tables = await source.OpenAsync(Settings(database), CancellationToken.None);
        var sink = new RecordingRowSink();
        var position = await source.CopyAsync(tables, sink, null, CancellationToken.None);
        return (database, source, new ReplicationConsumer(source, position), sink);
    }

    [Fact]
    public async Task Insert_update_delete_after_the_copy_arrive_as_upserts_and_deletes_at_commit_positions()
    {
        var (database, source, consumer, copy) = await StartAsync("lr_iud", """
            CREATE TABLE accounts (id int PRIMARY KEY, owner text NOT NULL, balance numeric(12,2));
            INSERT INTO accounts VALUES (1, 'ada', 10.50), (2, 'bob', 20);
            """);
        await using var _ = source;
        Assert.Equal([[1, "ada", 10.50m], [2, "bob", 20.00m]], copy.Of("accounts").OrderBy(r => (int)r[0]!));

        await server.ExecuteAsync(database, "INSERT INTO accounts VALUES (3, 'cy', 1); UPDATE accounts SET balance = 99.99 WHERE id = 1; DELETE FROM accounts WHERE id = 2;");
        await consumer.UntilAsync(c => c.Changes.Count >= 3);

        Assert.Equal(
            [(SidecarChangeKind.Upsert, 3), (SidecarChangeKind.Upsert, 1), (SidecarChangeKind.Delete, 2)],
            consumer.Changes.Select(c => (c.Kind, (int)c.Key[0]!)));
        Assert.Equal([1, "ada", 99.99m], consumer.Changes[1].Values!);
        Assert.NotNull(consumer.Changes[0].CommitTime);
        Assert.True(source.Covers(consumer.Position, consumer.Batches[0].Position));

        // An update of the key is a delete of the old key, then the new row.
        await server.ExecuteAsync(database, "UPDATE accounts SET id = 30 WHERE id = 3");
        await consumer.UntilAsync(c => c.Changes.Count >= 5);
        Assert.Equal([(SidecarChangeKind.Delete, 3), (SidecarChangeKind.Upsert, 30)], consumer.Changes.Skip(3).Select(c => (c.Kind, (int)c.Key[0]!)));
    }

    [Fact]
    public async Task Transaction_of_100000_rows_comes_whole_in_one_batch_ending_on_its_commit()
    {
        var (database, source, consumer, _) = await StartAsync("lr_big", "CREATE TABLE events (id bigint PRIMARY KEY, payload text)");
        await using var _source = source;
        await server.ExecuteAsync(database, "INSERT INTO events SELECT g, 'p' || g FROM generate_series(1, 100000) g");
        await server.ExecuteAsync(database, "INSERT INTO events VALUES (100001, 'after')");

        await consumer.UntilAsync(c => c.Rows("events").ContainsKey("100001"), maxChanges: 1000, timeoutSeconds: 120);

        var big = Assert.Single(consumer.Batches, b => b.Changes.Any(c => (long)c.Key[0]! == 1));
        Assert.Equal(100000, big.Changes.Count(c => (long)c.Key[0]! <= 100000));
        Assert.Equal(100001, consumer.Rows("events").Count);
        Assert.Equal("p77777", consumer.Rows("events")["77777"][1]);
    }

    [Fact]
    public async Task Rolled_back_transaction_never_appears()
    {
        var (database, source, consumer, _) = await StartAsync("lr_rollback", "CREATE TABLE t (id int PRIMARY KEY)");
        await using var _source = source;
        await server.ExecuteAsync(database, "BEGIN; INSERT INTO t SELECT generate_series(1, 50); ROLLBACK;");
        await server.ExecuteAsync(database, "INSERT INTO t VALUES (1000)");

        await consumer.UntilAsync(c => c.Rows("t").ContainsKey("1000"));

        Assert.Equal([1000], consumer.Changes.Select(c => (int)c.Key[0]!));
    }

    [Fact]
    public async Task Unchanged_TOASTed_value_is_marked_unchanged_and_the_mirror_keeps_it()
    {
        var (database, source, consumer, _) = await StartAsync("lr_toast", "CREATE TABLE docs (id int PRIMARY KEY, title text, body text)");
        await using var _source = source;
        // md5 text barely compresses: 40 KB of it is stored out of line (TOASTed).
        await server.ExecuteAsync(database, "INSERT INTO docs SELECT 1, 'first', string_agg(md5(g::text), '') FROM generate_series(1, 1250) g");
        await consumer.UntilAsync(c => c.Rows("docs").ContainsKey("1"));
        var body = (string)consumer.Rows("docs")["1"][2]!;
        Assert.True(body.Length > 8 * 1024);

        await server.ExecuteAsync(database, "UPDATE docs SET title = 'second' WHERE id = 1");
        await consumer.UntilAsync(c => c.Changes.Count >= 2);

        var update = consumer.Changes[1];
        Assert.Equal("second", update.Values![1]);
        Assert.Same(SidecarUnchangedValue.Instance, update.Values[2]);
        Assert.Equal(body, consumer.Rows("docs")["1"][2]);
    }

    [Fact]
    public async Task Truncate_is_a_delete_of_every_row_of_the_table()
    {
        var (database, source, consumer, _) = await StartAsync("lr_truncate", "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2)");
        await using var _source = source;
        consumer.Load("t", [[1], [2]], r => r);
        await server.ExecuteAsync(database, "TRUNCATE t");
        await consumer.UntilAsync(c => c.Changes.Count >= 1);

        var change = Assert.Single(consumer.Changes);
        Assert.Equal(SidecarChangeKind.Delete, change.Kind);
        Assert.Empty(change.Key);
        Assert.Empty(consumer.Rows("t"));
    }

    [Fact]
    public async Task Added_column_is_a_schema_change_before_the_rows_that_carry_it()
    {
        var (database, source, consumer, _) = await StartAsync("lr_ddl", "CREATE TABLE t (id int PRIMARY KEY, a text)");
        await using var _source = source;
        await server.ExecuteAsync(database, "INSERT INTO t VALUES (1, 'x')");
        await consumer.UntilAsync(c => c.Changes.Count >= 1);
        Assert.All(consumer.Batches, b => Assert.Empty(b.SchemaChanges));

        await server.ExecuteAsync(database, "ALTER TABLE t ADD COLUMN score numeric(5,1); INSERT INTO t VALUES (2, 'y', 4.5)");
        await consumer.UntilAsync(c => c.Changes.Count >= 2);

        // The schema change comes in the batch of the row that carries the new column or in one before it (the
        // pump flushes the rows it holds before a relation message, so the two may be read separately).
        var rowBatch = consumer.Batches.FindIndex(b => b.Changes.Any(c => (int)c.Key[0]! == 2));
        var evolved = Assert.Single(consumer.Batches.Take(rowBatch + 1).SelectMany(b => b.SchemaChanges));
        Assert.Equal(["id", "a", "score"], evolved.Columns.Select(c => c.Name));
        Assert.Equal("DECIMAL(5,1)", evolved.Columns[2].DuckDbType);
        Assert.Equal([2, "y", 4.5m], consumer.Changes[1].Values!);
    }

    [Fact]
    public async Task Slot_is_reused_after_a_restart_from_the_acknowledged_LSN_with_nothing_missed_or_repeated()
    {
        var (database, source, consumer, _) = await StartAsync("lr_restart", "CREATE TABLE t (id int PRIMARY KEY)");
        await server.ExecuteAsync(database, "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);");
        await consumer.UntilAsync(c => c.Changes.Count >= 2);
        var acknowledged = consumer.Position;
        await source.DisposeAsync();

        // While nothing follows the slot, the server keeps what is committed after the acknowledged position.
        await server.ExecuteAsync(database, "INSERT INTO t VALUES (3); INSERT INTO t VALUES (4);");
        await using var restarted = new PostgreSqlLogicalReplicationSource();
        await restarted.OpenAsync(Settings(database), CancellationToken.None);
        var resumed = new ReplicationConsumer(restarted, acknowledged);
        await server.ExecuteAsync(database, "INSERT INTO t VALUES (5)");
        await resumed.UntilAsync(c => c.Changes.Count >= 3);
        await resumed.ReadOnceAsync();

        Assert.Equal([3, 4, 5], resumed.Changes.Select(c => (int)c.Key[0]!));
        Assert.Equal(1L, await server.ScalarAsSuperUserAsync(database, $"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{database}'"));
    }

    [Fact]
    public async Task Reading_again_from_an_earlier_position_replays_from_there()
    {
        var (database, source, consumer, _) = await StartAsync("lr_replay", "CREATE TABLE t (id int PRIMARY KEY)");
        await using var _source = source;
        var start = consumer.Position;
        await server.ExecuteAsync(database, "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);");
        await consumer.UntilAsync(c => c.Changes.Count >= 2, acknowledge: false);

        // The mirror failed to apply: the pipeline asks again from what it stored.
        var retry = new ReplicationConsumer(source, start);
        await retry.UntilAsync(c => c.Changes.Count >= 2);
        Assert.Equal([1, 2], retry.Changes.Select(c => (int)c.Key[0]!));
    }

    [Fact]
    public async Task Current_position_is_the_WAL_insert_LSN_and_is_covered_once_read_even_with_no_followed_change()
    {
        var (database, source, consumer, _) = await StartAsync("lr_strong", "CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE other (id int)");
        await using var _source = source;
        await server.ExecuteAsync(database, "INSERT INTO other VALUES (1)");
        var target = await source.CurrentPositionAsync(CancellationToken.None);
        Assert.Matches("^[0-9A-F]+/[0-9A-F]+$", target.Value);
        Assert.False(source.Covers(consumer.Position, target));

        await consumer.UntilAsync(c => source.Covers(c.Position, target));

        await server.ExecuteAsync(database, "INSERT INTO t VALUES (7)");
        target = await source.CurrentPositionAsync(CancellationToken.None);
        await consumer.UntilAsync(c => source.Covers(c.Position, target));
        Assert.True(consumer.Rows("t").ContainsKey("7"));
    }

    [Fact]
    public async Task Acknowledge_advances_the_slot_confirmed_flush_and_lag_reports_it()
    {
        var (database, source, consumer, _) = await StartAsync("lr_ack", "CREATE TABLE t (id int PRIMARY KEY, v text)");
        await using var _source = source;
        await server.ExecuteAsync(database, "INSERT INTO t SELECT g, repeat('x', 100) FROM generate_series(1, 1000) g");
        await consumer.UntilAsync(c => c.Changes.Count >= 1000, acknowledge: false);
        var before = await source.SlotLagAsync(CancellationToken.None);
        Assert.NotNull(before);
        Assert.True(before.Bytes > 0);

        await source.AcknowledgeAsync(consumer.Position, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string? confirmed;
        do
        {
            await Task.Delay(50);
            confirmed = (string?)await server.ScalarAsSuperUserAsync(database, $"SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '{database}'");
        }
        while (confirmed != consumer.Position.Value && DateTime.UtcNow < deadline);

        Assert.Equal(consumer.Position.Value, confirmed);
        var after = await source.SlotLagAsync(CancellationToken.None);
        Assert.True(after!.Bytes < before.Bytes);
        Assert.Equal(consumer.Position.Value, after.ConfirmedFlushLsn);
    }

    [Fact]
    public async Task Drop_removes_the_slot_and_the_publication_only_when_asked()
    {
        var (database, source, consumer, _) = await StartAsync("lr_drop", "CREATE TABLE t (id int PRIMARY KEY)");
        await using var _source = source;
        await server.ExecuteAsync(database, "INSERT INTO t VALUES (1)");
        await consumer.UntilAsync(c => c.Changes.Count >= 1);
        Assert.Equal(1L, await server.ScalarAsSuperUserAsync(database, $"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{database}'"));

        await source.DropReplicationAsync(CancellationToken.None);

        Assert.Equal(0L, await server.ScalarAsSuperUserAsync(database, $"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{database}'"));
        Assert.Equal(0L, await server.ScalarAsSuperUserAsync(database, $"SELECT count(*) FROM pg_publication WHERE pubname = '{database}'"));
    }

    [Fact]
    public async Task Value_that_cannot_map_quarantines_its_table_and_the_others_keep_flowing()
    {
        var (database, source, consumer, _) = await StartAsync("lr_quarantine", "CREATE TABLE prices (id int PRIMARY KEY, p numeric(10,2)); CREATE TABLE ok (id int PRIMARY KEY)");
        await using var _source = source;
        await server.ExecuteAsync(database, "INSERT INTO prices VALUES (1, 'NaN'); INSERT INTO ok VALUES (1); INSERT INTO prices VALUES (2, 1);");
        await consumer.UntilAsync(c => c.Rows("ok").ContainsKey("1"));
        await consumer.ReadOnceAsync();

        Assert.Contains("NaN", source.Quarantine.Tables["prices"], StringComparison.Ordinal);
        Assert.DoesNotContain(consumer.Changes, c => c.Table == "prices");
    }

    [Fact]
    public async Task Rebuilding_the_mirror_with_the_slot_kept_copies_from_a_temporary_slot_and_streams_on_without_doubles()
    {
        var (database, source, consumer, _) = await StartAsync("lr_rebuild", "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
        await server.ExecuteAsync(database, "INSERT INTO t VALUES (2)");
        await consumer.UntilAsync(c => c.Changes.Count >= 1);
        await source.DisposeAsync();
        await server.ExecuteAsync(database, "INSERT INTO t VALUES (3)");

        // An in-memory mirror starts empty: the kept slot is reused, the copy comes from a fresh snapshot.
        await using var rebuilt = new PostgreSqlLogicalReplicationSource();
        var tables = await rebuilt.OpenAsync(Settings(database), CancellationToken.None);
        var sink = new RecordingRowSink();
        var resumed = new ReplicationConsumer(rebuilt, await rebuilt.CopyAsync(tables, sink, null, CancellationToken.None));
        await server.ExecuteAsync(database, "INSERT INTO t VALUES (4)");
        await resumed.UntilAsync(c => c.Changes.Count >= 1);
        await resumed.ReadOnceAsync();

        Assert.Equal([1, 2, 3], sink.Of("t").Select(r => (int)r[0]!).Order());
        Assert.Equal([4], resumed.Changes.Select(c => (int)c.Key[0]!));
        Assert.Equal(1L, await server.ScalarAsSuperUserAsync(database, "SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"));
    }

    [Fact]
    public async Task Slot_dropped_behind_the_mirror_s_back_is_a_clear_error_that_the_mirror_must_be_copied_again()
    {
        var (database, source, consumer, _) = await StartAsync("lr_lostslot", "CREATE TABLE t (id int PRIMARY KEY)");
        var position = consumer.Position;
        await source.DisposeAsync();
        await server.ScalarAsSuperUserAsync(database, $"SELECT pg_drop_replication_slot('{database}')");

        await using var restarted = new PostgreSqlLogicalReplicationSource();
        await restarted.OpenAsync(Settings(database), CancellationToken.None);
        var ex = await Assert.ThrowsAsync<RheiException>(() => restarted.ReadAsync(position, 100, CancellationToken.None));
        Assert.Equal("PostgreSQL", ex.Engine);
        Assert.Contains($"replication slot {database} does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Contains("copied again", ex.Message, StringComparison.Ordinal);
    }
}
