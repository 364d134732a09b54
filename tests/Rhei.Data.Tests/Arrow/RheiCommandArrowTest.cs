using Apache.Arrow.Types;
using Rhei.Data.Arrow;
using static Rhei.Data.Tests.Arrow.ArrowTestRows;

namespace Rhei.Data.Tests.Arrow;

/// <summary><see cref="RheiCommand.ExecuteArrowReader"/> on both engines.</summary>
public sealed class RheiCommandArrowTest
{
    private const string CreateItems = "CREATE TABLE items (id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB)";
    private const string SelectItems = "SELECT id, i, r, s, b FROM items ORDER BY id";

    private static readonly (string, ArrowTypeId)[] s_itemsSchema =
    [
        ("id", ArrowTypeId.Int64), ("i", ArrowTypeId.Int64), ("r", ArrowTypeId.Double), ("s", ArrowTypeId.String), ("b", ArrowTypeId.Binary),
    ];

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task ExecuteArrowReader_maps_every_storage_class_and_null(RheiRoute route)
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedStorageClassesAsync(connection);

        await using var command = new RheiCommand(SelectItems, connection) { Route = route };
        using var stream = command.ExecuteArrowReader();
        var result = await ReadAllAsync(stream);

        Assert.Equal(route, result.Route);
        AssertSchema(result.Schema, s_itemsSchema);
        Assert.Equal(3, result.Rows.Count);
        Assert.Equal([1L, -9_223_372_036_854_775_808L, 0.5, "héllo ✓", new byte[] { 0, 1, 255 }], result.Rows[0]);
        Assert.Equal([2L, null, null, null, null], result.Rows[1]);
        Assert.Equal([3L, 9_223_372_036_854_775_807L, -1e300, string.Empty, Array.Empty<byte>()], result.Rows[2]);
    }

    [Fact]
    public async Task ExecuteArrowReader_gives_equal_schema_and_rows_on_both_routes_over_many_batches()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedManyAsync(connection, 70_000);

        var sqlite = await ReadAsync(connection, SelectItems, RheiRoute.Oltp);
        var duck = await ReadAsync(connection, SelectItems, RheiRoute.Olap);

        Assert.Equal(RheiRoute.Oltp, sqlite.Route);
        Assert.Equal(RheiRoute.Olap, duck.Route);
        AssertSchema(sqlite.Schema, s_itemsSchema);
        AssertSameSchema(sqlite.Schema, duck.Schema);
        Assert.Equal(70_000, sqlite.Rows.Count);
        Assert.Equal(sqlite.Rows, duck.Rows);

        // SQLite's batches are 65,536 rows; DuckDB hands over its own chunks of at most 2,048.
        Assert.Equal([65_536, 4_464], sqlite.BatchLengths);
        Assert.True(duck.BatchLengths.Count >= 70_000 / 2048, $"DuckDB gave {duck.BatchLengths.Count} batches");
        Assert.All(duck.BatchLengths, length => Assert.InRange(length, 1, 2048));
    }

    [Fact]
    public async Task ExecuteArrowReader_normalizes_DuckDB_aggregate_types_to_the_SQLite_classes()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedManyAsync(connection, 5_000);
        const string sql = "SELECT count(*) AS n, sum(i) AS total, avg(r) AS mean, max(s) AS top, i % 3 AS g FROM items GROUP BY g ORDER BY g";

        await using (var explain = new RheiCommand(sql, connection))
        {
            Assert.Equal(RheiRoute.Olap, explain.ExplainRoute().Target);
        }

        var auto = await ReadAsync(connection, sql, RheiRoute.Auto);
        var sqlite = await ReadAsync(connection, sql, RheiRoute.Oltp);

        // sum() of BIGINT is HUGEINT in DuckDB; the Arrow column is Int64, as SQLite's integer sum is.
        Assert.Equal(RheiRoute.Olap, auto.Route);
        AssertSchema(auto.Schema, ("n", ArrowTypeId.Int64), ("total", ArrowTypeId.Int64), ("mean", ArrowTypeId.Double), ("top", ArrowTypeId.String), ("g", ArrowTypeId.Int64));
        AssertSameSchema(auto.Schema, sqlite.Schema);
        Assert.Equal(3, auto.Rows.Count);
        Assert.Equal(sqlite.Rows, auto.Rows);
    }

    [Fact]
    public async Task ExecuteArrowReader_binds_parameters_on_both_routes()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedManyAsync(connection, 100);
        const string sql = "SELECT id, s FROM items WHERE i > @min AND s <> ? ORDER BY id";

        var results = new List<Result>();
        foreach (var route in new[] { RheiRoute.Oltp, RheiRoute.Olap })
        {
            await using var command = new RheiCommand(sql, connection) { Route = route };
            command.Parameters.AddWithValue("@min", 150L);
            command.Parameters.AddWithValue(null, "row 80");
            using var stream = await command.ExecuteArrowReaderAsync();
            results.Add(await ReadAllAsync(stream));
        }

        Assert.Equal([RheiRoute.Oltp, RheiRoute.Olap], results.Select(r => r.Route));
        Assert.Equal(Enumerable.Range(76, 25).Where(i => i != 80).Select(i => (long)i), results[0].Rows.Select(r => (long)r[0]!));
        Assert.Equal(results[0].Rows, results[1].Rows);
    }

    [Fact]
    public async Task Columns_typed_by_their_parameters_have_the_parameter_class_on_both_routes()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedManyAsync(connection, 10);
        const string sql = "SELECT id, @tag AS tag, @weight AS weight, @count AS n FROM items WHERE id <= 2 ORDER BY id";

        var results = new List<Result>();
        foreach (var route in new[] { RheiRoute.Oltp, RheiRoute.Olap })
        {
            await using var command = new RheiCommand(sql, connection) { Route = route };
            command.Parameters.AddWithValue("@tag", "t");
            command.Parameters.AddWithValue("@weight", 0.25);
            command.Parameters.AddWithValue("@count", 7);
            using var stream = command.ExecuteArrowReader();
            results.Add(await ReadAllAsync(stream));
        }

        Assert.Equal([RheiRoute.Oltp, RheiRoute.Olap], results.Select(r => r.Route));
        AssertSchema(results[0].Schema, ("id", ArrowTypeId.Int64), ("tag", ArrowTypeId.String), ("weight", ArrowTypeId.Double), ("n", ArrowTypeId.Int64));
        AssertSameSchema(results[0].Schema, results[1].Schema);
        Assert.Equal([[1L, "t", 0.25, 7L], [2L, "t", 0.25, 7L]], results[0].Rows);
        Assert.Equal(results[0].Rows, results[1].Rows);
    }

    [Fact]
    public async Task ExecuteArrowReader_follows_hints_and_falls_back_to_SQLite_when_DuckDB_rejects_an_auto_routed_read()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedManyAsync(connection, 10);

        var hintedOlap = await ReadAsync(connection, "/*+ rhei:olap */ SELECT id, s FROM items WHERE id = 3", RheiRoute.Auto);
        Assert.Equal(RheiRoute.Olap, hintedOlap.Route);
        Assert.Equal([[3L, "row 3"]], hintedOlap.Rows);

        var hintedOltp = await ReadAsync(connection, "/*+ rhei:oltp */ SELECT count(*) AS n FROM items", RheiRoute.Auto);
        Assert.Equal(RheiRoute.Oltp, hintedOltp.Route);
        Assert.Equal([[10L]], hintedOltp.Rows);

        // SQLite accepts a bare column beside GROUP BY, DuckDB rejects it: planned for DuckDB, answered by SQLite.
        const string bare = "SELECT s, id FROM items GROUP BY s ORDER BY s";
        await using var command = new RheiCommand(bare, connection);
        Assert.Equal(RheiRoute.Olap, command.ExplainRoute().Target);
        using (var stream = command.ExecuteArrowReader())
        {
            var fallback = await ReadAllAsync(stream);
            Assert.Equal(RheiRoute.Oltp, fallback.Route);
            Assert.Equal(10, fallback.Rows.Count);
            Assert.Equal(["row 1", 1L], fallback.Rows[0]);
        }

        Assert.Equal(RheiRoute.Auto, command.Route);

        // Asked for DuckDB explicitly, DuckDB's error is the answer.
        command.Route = RheiRoute.Olap;
        var error = Assert.Throws<RheiException>(() => command.ExecuteArrowReader());
        Assert.Equal("DuckDB", error.Engine);
    }

    [Fact]
    public async Task ExecuteArrowReader_on_DuckDB_waits_for_writes_committed_before_it()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedManyAsync(connection, 10);
        await using (var insert = new RheiCommand("INSERT INTO items (id, i, r, s) VALUES (11, 22, 5.5, 'row 11')", connection))
        {
            await insert.ExecuteNonQueryAsync();
        }

        // No explicit sync: Freshness=Strong makes the analytical read wait for the mirror.
        var result = await ReadAsync(connection, "SELECT count(*) AS n, max(id) AS top FROM items", RheiRoute.Auto);
        Assert.Equal(RheiRoute.Olap, result.Route);
        Assert.Equal([[11L, 11L]], result.Rows);
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task Disposing_after_one_batch_releases_the_result(RheiRoute route)
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedManyAsync(connection, 140_000);

        // The commands stay alive until the end: disposing a command would close its statement whatever the stream did.
        var commands = new List<RheiCommand>();
        for (var round = 0; round < 3; round++)
        {
            var command = new RheiCommand(SelectItems, connection) { Route = route };
            commands.Add(command);
            var stream = command.ExecuteArrowReader();
            Assert.Equal(route, RouteOf(stream));
            using (var first = await stream.ReadNextRecordBatchAsync())
            {
                Assert.NotNull(first);
            }

            stream.Dispose();
            if (stream is DuckDbArrowStream duck)
            {
                Assert.True(duck.IsResultReleased, "the DuckDB result should be destroyed with the stream");
            }

            stream.Dispose();
            await Assert.ThrowsAsync<ObjectDisposedException>(async () => await stream.ReadNextRecordBatchAsync());
        }

        // VACUUM refuses to run while a statement is still open on the connection; a write and a sync need no lock left behind.
        await using (var vacuum = new RheiCommand("VACUUM", connection))
        {
            await vacuum.ExecuteNonQueryAsync();
        }

        await using (var update = new RheiCommand("UPDATE items SET s = 'changed' WHERE id = 1", connection))
        {
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }

        await connection.SyncAsync();
        var after = await ReadAsync(connection, "SELECT s FROM items WHERE id = 1", RheiRoute.Olap);
        Assert.Equal([["changed"]], after.Rows);
        foreach (var command in commands)
        {
            await command.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(RheiRoute.Oltp)]
    [InlineData(RheiRoute.Olap)]
    public async Task Cancellation_is_honoured_before_execution_and_between_batches(RheiRoute route)
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedManyAsync(connection, 70_000);
        await using var command = new RheiCommand(SelectItems, connection) { Route = route };

        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteArrowReaderAsync(canceled.Token));

        using var stream = await command.ExecuteArrowReaderAsync();
        using (var first = await stream.ReadNextRecordBatchAsync(CancellationToken.None))
        {
            Assert.NotNull(first);
        }

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.ReadNextRecordBatchAsync(canceled.Token));
        Assert.Equal(canceled.Token, error.CancellationToken);

        // The stream stays usable: the next batch follows on from the first.
        using var second = await stream.ReadNextRecordBatchAsync();
        Assert.NotNull(second);
        Assert.Equal(route == RheiRoute.Oltp ? 65_537L : 2_049L, Value(second.Column(0), 0));
    }

    [Fact]
    public async Task Cancellation_interrupts_a_running_DuckDB_query()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await using var command = new RheiCommand("SELECT count(*) AS n FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = -1", connection)
        {
            Route = RheiRoute.Olap,
        };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => command.ExecuteArrowReaderAsync(cts.Token));
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));

        // The session is usable afterwards.
        var next = await ReadAsync(connection, "SELECT 42 AS answer", RheiRoute.Olap);
        Assert.Equal([[42L]], next.Rows);
    }

    [Fact]
    public async Task CommandTimeout_interrupts_a_DuckDB_query_with_a_timeout_error()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await using var command = new RheiCommand("SELECT count(*) AS n FROM range(100000000) a, range(100000000) b WHERE a.range + b.range = -1", connection)
        {
            Route = RheiRoute.Olap,
            CommandTimeout = 1,
        };

        var error = await Assert.ThrowsAsync<RheiException>(() => command.ExecuteArrowReaderAsync());
        Assert.Equal("DuckDB", error.Engine);
        Assert.Contains("timed out after 1 seconds", error.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    [Fact]
    public async Task SQLite_column_types_come_from_the_declared_type_or_the_first_value()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await ExecAsync(connection, "CREATE TABLE m (id INTEGER PRIMARY KEY, v NUMERIC, t TEXT)");
        await ExecAsync(connection, "INSERT INTO m VALUES (1, 1.5, 'a'), (2, 2, NULL), (3, 'abc', 'c')");

        // NUMERIC is REAL, as in the mirror; the INTEGER 2 it holds becomes the double 2.0.
        var numbers = await ReadAsync(connection, "SELECT v FROM m WHERE id < 3 ORDER BY id", RheiRoute.Oltp);
        AssertSchema(numbers.Schema, ("v", ArrowTypeId.Double));
        Assert.Equal([[1.5], [2.0]], numbers.Rows);

        // An expression takes the class of its first non-NULL value; with none, it is text.
        var expression = await ReadAsync(connection, "SELECT CASE WHEN id = 1 THEN NULL ELSE id * 10 END AS e, NULL AS missing FROM m ORDER BY id", RheiRoute.Oltp);
        AssertSchema(expression.Schema, ("e", ArrowTypeId.Int64), ("missing", ArrowTypeId.String));
        Assert.Equal([[null, null], [20L, null], [30L, null]], expression.Rows);

        // TEXT stored in the NUMERIC column: a column of one type cannot hold it.
        await using var mixed = new RheiCommand("SELECT id, v FROM m ORDER BY id", connection) { Route = RheiRoute.Oltp };
        using var stream = mixed.ExecuteArrowReader();
        var error = await Assert.ThrowsAsync<RheiException>(async () => await stream.ReadNextRecordBatchAsync());
        Assert.Equal("SQLite", error.Engine);
        Assert.Contains("Column 'v'", error.Message, StringComparison.Ordinal);
        Assert.Contains("row 3 holds a TEXT value", error.Message, StringComparison.Ordinal);
        Assert.Contains("CAST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_source_command_reads_Arrow_on_its_own_connection()
    {
        await using var db = TestDatabase.Create();
        await using (var connection = db.Open())
        {
            await SeedManyAsync(connection, 3);
        }

        await using var command = db.DataSource.CreateCommand("SELECT id, s FROM items ORDER BY id");
        using var stream = command.ExecuteArrowReader();
        var result = await ReadAllAsync(stream);
        Assert.Equal([[1L, "row 1"], [2L, "row 2"], [3L, "row 3"]], result.Rows);
    }

    [Fact]
    public async Task A_command_without_rows_gives_the_schema_and_no_batch()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedStorageClassesAsync(connection);
        foreach (var route in new[] { RheiRoute.Oltp, RheiRoute.Olap })
        {
            var result = await ReadAsync(connection, "SELECT id, i, r, s, b FROM items WHERE id < 0", route);
            Assert.Equal(route, result.Route);
            AssertSchema(result.Schema, s_itemsSchema);
            Assert.Empty(result.BatchLengths);
        }
    }

    [Fact]
    public async Task Unaliased_expression_columns_have_the_same_names_on_both_routes()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedManyAsync(connection, 50);
        const string sql = "SELECT count(*), sum(i), max(s), i % 2 FROM items GROUP BY i % 2 ORDER BY i % 2";

        var sqlite = await ReadAsync(connection, sql, RheiRoute.Oltp);
        var duck = await ReadAsync(connection, sql, RheiRoute.Olap);

        Assert.Equal(RheiRoute.Olap, duck.Route);
        AssertSchema(sqlite.Schema, ("count(*)", ArrowTypeId.Int64), ("sum(i)", ArrowTypeId.Int64), ("max(s)", ArrowTypeId.String), ("i % 2", ArrowTypeId.Int64));
        AssertSameSchema(sqlite.Schema, duck.Schema);
        Assert.Equal(sqlite.Rows, duck.Rows);
    }

    [Fact]
    public async Task In_a_transaction_and_for_several_statements_SQLite_answers_the_first_result()
    {
        await using var db = TestDatabase.Create();
        await using var connection = db.Open();
        await SeedManyAsync(connection, 5);

        await using (var transaction = await connection.BeginTransactionAsync())
        await using (var command = new RheiCommand("SELECT count(*) AS n FROM items", connection, (RheiTransaction)transaction))
        {
            await using (var insert = new RheiCommand("INSERT INTO items (id) VALUES (6)", connection, (RheiTransaction)transaction))
            {
                await insert.ExecuteNonQueryAsync();
            }

            using var stream = command.ExecuteArrowReader();
            var inside = await ReadAllAsync(stream);
            Assert.Equal(RheiRoute.Oltp, inside.Route);
            Assert.Equal([[6L]], inside.Rows);
        }

        var several = await ReadAsync(connection, "SELECT id FROM items WHERE id = 1; SELECT s FROM items WHERE id = 2", RheiRoute.Auto);
        AssertSchema(several.Schema, ("id", ArrowTypeId.Int64));
        Assert.Equal([[1L]], several.Rows);
    }

    private static async Task<Result> ReadAsync(RheiConnection connection, string sql, RheiRoute route)
    {
        await using var command = new RheiCommand(sql, connection) { Route = route };
        using var stream = await command.ExecuteArrowReaderAsync();
        return await ReadAllAsync(stream);
    }

    private static async Task ExecAsync(RheiConnection connection, string sql)
    {
        await using var command = new RheiCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task SeedStorageClassesAsync(RheiConnection connection)
    {
        await ExecAsync(connection, CreateItems);
        await using var insert = new RheiCommand("INSERT INTO items VALUES (@id, @i, @r, @s, @b)", connection);
        foreach (var row in new object?[][]
                 {
                     [1L, long.MinValue, 0.5, "héllo ✓", new byte[] { 0, 1, 255 }],
                     [2L, null, null, null, null],
                     [3L, long.MaxValue, -1e300, string.Empty, Array.Empty<byte>()],
                 })
        {
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("@id", row[0]);
            insert.Parameters.AddWithValue("@i", row[1] ?? DBNull.Value);
            insert.Parameters.AddWithValue("@r", row[2] ?? DBNull.Value);
            insert.Parameters.AddWithValue("@s", row[3] ?? DBNull.Value);
            insert.Parameters.AddWithValue("@b", row[4] ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync();
        }

        await connection.SyncAsync();
    }

    /// <summary>Rows 1..count: i = 2·id, r = id / 4 (NULL every 7th row), s = 'row id', b NULL or a 2-byte blob.</summary>
    private static async Task SeedManyAsync(RheiConnection connection, int count)
    {
        await ExecAsync(connection, CreateItems);
        await ExecAsync(
            connection,
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " + count + ") "
            + "INSERT INTO items SELECT x, x * 2, CASE WHEN x % 7 = 0 THEN NULL ELSE x / 4.0 END, 'row ' || x, "
            + "CASE WHEN x % 3 = 0 THEN NULL ELSE CAST(char(x % 200, 65) AS BLOB) END FROM n");
        await connection.SyncAsync();
    }
}
