using static Rhei.Data.Tests.Sync.ReplicationHarness;

namespace Rhei.Data.Tests.Sync;

/// <summary>rhei's integration tests (seed 000), ported to the replication engine.</summary>
public sealed class RheiParityTest
{
    private const string CreateUsers = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, age INTEGER)";
    private static readonly CancellationToken s_ct = CancellationToken.None;

    [Fact]
    public async Task FullHtapPipeline()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        h.Exec("INSERT INTO users VALUES (2, 'Bob', 25)");
        h.Exec("INSERT INTO users VALUES (3, 'Charlie', 35)");

        var result = await h.Engine.SyncAsync(s_ct);
        Assert.Equal(3, result.EventsProcessed);
        Assert.Equal(3, result.RowsInserted);
        Assert.Equal(0, result.RowsUpdated);
        Assert.Equal(0, result.RowsDeleted);
        Assert.Equal(3, h.OlapCount("users"));
        Assert.Equal(0, (await h.Engine.GetStatusAsync(s_ct)).Lag);
    }

    [Fact]
    public async Task UpdateAndDeleteSync()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        await h.Engine.SyncAsync(s_ct);

        h.Exec("UPDATE users SET age = 31 WHERE id = 1");
        Assert.Equal(1, (await h.Engine.SyncAsync(s_ct)).RowsUpdated);
        Assert.Equal(31L, h.Olap("SELECT age FROM users WHERE id = 1")[0][0]);

        h.Exec("DELETE FROM users WHERE id = 1");
        Assert.Equal(1, (await h.Engine.SyncAsync(s_ct)).RowsDeleted);
        Assert.Equal(0, h.OlapCount("users"));
    }

    [Fact]
    public async Task InitialSync()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30), (2, 'Bob', 25), (3, 'Charlie', 35)");
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        Assert.Equal(0, h.OlapCount("users"));

        Assert.Equal(3, await h.Engine.InitialSyncAsync("users", null, s_ct));
        Assert.Equal(3, h.OlapCount("users"));
        Assert.Equal(0, h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log"));
    }

    [Fact]
    public async Task InitialSync_empty_table()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        Assert.Equal(0, await h.Engine.InitialSyncAsync("users", null, s_ct));
        Assert.Equal(0, h.OlapCount("users"));
    }

    [Fact]
    public async Task InitialSyncAll()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30), (2, 'Bob', 25)");
        h.Exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, total INTEGER)");
        h.Exec("INSERT INTO orders VALUES (1, 1, 100), (2, 1, 200), (3, 2, 150)");
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        await h.Engine.RegisterTableAsync(Orders(), s_ct);

        Assert.Equal(5, await h.Engine.InitialSyncAllAsync(null, s_ct));
        Assert.Equal(2, h.OlapCount("users"));
        Assert.Equal(3, h.OlapCount("orders"));
    }

    [Fact]
    public async Task AddColumn()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
        await h.Engine.RegisterTableAsync(UsersTwoColumns(), s_ct);
        h.Exec("INSERT INTO users VALUES (1, 'Alice')");
        await h.Engine.SyncAsync(s_ct);

        h.Exec("ALTER TABLE users ADD COLUMN age INTEGER");
        await h.Engine.AddColumnAsync("users", "age", "INTEGER", s_ct);
        Assert.Equal(3, h.Engine.Registry.Get("users").Columns.Count);

        h.Exec("INSERT INTO users VALUES (2, 'Bob', 30)");
        Assert.Equal(1, (await h.Engine.SyncAsync(s_ct)).RowsInserted);
        Assert.Equal(30L, Assert.Single(h.Olap("SELECT age FROM users WHERE id = 2"))[0]);
        Assert.Contains("age", h.OlapColumns("users"));
    }

    [Fact]
    public async Task DropColumn()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        await h.Engine.SyncAsync(s_ct);

        await h.Engine.DropColumnAsync("users", "age", s_ct);
        Assert.Equal(2, h.Engine.Registry.Get("users").Columns.Count);

        // A pooled connection compiles against its cached schema until it reads the catalog again.
        Assert.Equal(2, h.SqliteScalar("SELECT count(*) FROM pragma_table_info('users')"));

        h.Exec("INSERT INTO users VALUES (2, 'Bob')");
        Assert.Equal(1, (await h.Engine.SyncAsync(s_ct)).RowsInserted);
        Assert.Single(h.Olap("SELECT * FROM users WHERE id = 2"));
        Assert.DoesNotContain("age", h.OlapColumns("users"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Engine.DropColumnAsync("users", "id", s_ct));
        Assert.Contains("primary key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchInsertSync()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        for (var i = 1; i <= 5; i++)
        {
            h.Exec("INSERT INTO users VALUES ($p1, $p2, $p3)", i, "User" + i, 20 + i);
        }

        var result = await h.Engine.SyncAsync(s_ct);
        Assert.Equal(5, result.EventsProcessed);
        Assert.Equal(5, result.RowsInserted);
        Assert.Equal(5, h.OlapCount("users"));
    }

    [Fact]
    public async Task CdcPruningAfterSync()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        h.Exec("INSERT INTO users VALUES (2, 'Bob', 25)");
        Assert.Equal(2, h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log"));

        var result = await h.Engine.SyncAsync(s_ct);
        Assert.Equal(2, result.EventsProcessed);
        // A drained log keeps its last event: numbering goes on from it (CdcLogPruner).
        Assert.Equal(1, result.EventsPruned);
        Assert.Equal(1, h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log"));
    }

    [Fact]
    public async Task BackgroundSyncLoop()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");

        h.Engine.StartSync(TimeSpan.FromMilliseconds(20));
        Assert.True((await h.Engine.GetStatusAsync(s_ct)).IsBackgroundSyncRunning);
        await WaitUntilAsync(() => h.OlapCount("users") == 1);

        await h.Engine.StopSyncAsync();
        Assert.False((await h.Engine.GetStatusAsync(s_ct)).IsBackgroundSyncRunning);
    }

    [Fact]
    public async Task ConcurrentReadsAndWrites()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE items (id INTEGER PRIMARY KEY, val INTEGER)");
        await h.Engine.RegisterTableAsync(new RheiTableSchema("items", [new RheiColumn("id", "INTEGER", false), new RheiColumn("val", "INTEGER")], ["id"]), s_ct);
        h.Engine.StartSync(TimeSpan.FromMilliseconds(5));
        await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(() =>
        {
            h.Exec("INSERT INTO items VALUES ($p1, $p1)", (long)i);
            h.SqliteScalar("SELECT count(*) FROM items");
        })));
        await h.Engine.StopSyncAsync();
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(8, h.OlapCount("items"));
    }

    [Fact]
    public async Task DdlLock_add_column_during_sync()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
        await h.Engine.RegisterTableAsync(UsersTwoColumns(), s_ct);
        for (var i = 1; i <= 5; i++)
        {
            h.Exec("INSERT INTO users VALUES ($p1, $p2)", i, "User" + i);
        }

        h.Engine.StartSync(TimeSpan.FromMilliseconds(10));
        await Task.Delay(50);
        h.Exec("ALTER TABLE users ADD COLUMN age INTEGER");
        await h.Engine.AddColumnAsync("users", "age", "INTEGER", s_ct);
        h.Exec("INSERT INTO users VALUES (6, 'User6', 25)");
        await WaitUntilAsync(() => h.Olap("SELECT age FROM users WHERE id = 6").Count == 1);
        await h.Engine.StopSyncAsync();

        Assert.Equal(6, h.OlapCount("users"));
        Assert.Equal(25L, h.Olap("SELECT age FROM users WHERE id = 6")[0][0]);
    }

    [Fact]
    public async Task DdlLock_drop_column_consistency()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        h.Engine.StartSync(TimeSpan.FromMilliseconds(10));
        await Task.Delay(50);

        await h.Engine.DropColumnAsync("users", "age", s_ct);
        Assert.Equal(2, h.Engine.Registry.Get("users").Columns.Count);
        Assert.Equal(2, h.SqliteScalar("SELECT count(*) FROM pragma_table_info('users')"));
        h.Exec("INSERT INTO users VALUES (2, 'Bob')");
        await WaitUntilAsync(() => h.OlapCount("users") == 2);
        await h.Engine.StopSyncAsync();

        Assert.Equal("Alice", Assert.Single(h.Olap("SELECT name FROM users WHERE id = 1"))[0]);
    }

    [Fact]
    public async Task WalModeEnabled()
    {
        await using var h = await StartAsync();
        using var connection = h.OpenSqlite();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task SchemaEvolution_cdc_triggers_rebuilt()
    {
        await using var h = await StartAsync();
        h.Exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
        await h.Engine.RegisterTableAsync(UsersTwoColumns(), s_ct);
        h.Exec("INSERT INTO users VALUES (1, 'Alice')");
        await h.Engine.SyncAsync(s_ct);

        h.Exec("ALTER TABLE users ADD COLUMN score REAL");
        await h.Engine.AddColumnAsync("users", "score", "REAL", s_ct);
        h.Exec("INSERT INTO users VALUES (2, 'Bob', 9.5)");
        await h.Engine.SyncAsync(s_ct);
        Assert.Equal(9.5, Assert.Single(h.Olap("SELECT score FROM users WHERE id = 2"))[0]);
    }

    [Fact]
    public async Task RegisterTable_sets_up_cdc()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        h.Exec("INSERT INTO users VALUES (1, 'Alice', 30)");
        Assert.True(h.SqliteScalar("SELECT count(*) FROM _rhei_cdc_log") >= 1);
    }

    [Fact]
    public async Task TemporalMode_with_cdc()
    {
        await using var h = await StartAsync(RheiSyncMode.Temporal);
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        h.Exec("INSERT INTO users (id, name, age) VALUES (1, 'Alice', 30)");

        var result = await h.Engine.SyncAsync(s_ct);
        Assert.True(result.EventsProcessed >= 1);
        Assert.True(result.RowsInserted >= 1);
        var row = Assert.Single(h.Olap("SELECT _rhei_operation, _rhei_valid_to, _rhei_valid_from FROM users WHERE _rhei_operation = 'I' AND name = 'Alice'"));
        Assert.Equal("I", row[0]);
        Assert.Null(row[1]);
        Assert.NotNull(row[2]);
    }

    [Fact]
    public async Task TemporalUpdate_creates_history()
    {
        await using var h = await StartAsync(RheiSyncMode.Temporal);
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        h.Exec("INSERT INTO users (id, name, age) VALUES (1, 'Alice', 30)");
        await h.Engine.SyncAsync(s_ct);
        await Task.Delay(5);
        h.Exec("UPDATE users SET name = 'Bob', age = 31 WHERE id = 1");
        Assert.Equal(1, (await h.Engine.SyncAsync(s_ct)).RowsUpdated);

        var rows = h.Olap("SELECT _rhei_operation, _rhei_valid_to, name FROM users ORDER BY _rhei_valid_from, _rhei_operation");
        Assert.Equal(2, rows.Count);
        Assert.Equal("I", rows[0][0]);
        Assert.NotNull(rows[0][1]);
        Assert.Equal("U", rows[1][0]);
        Assert.Null(rows[1][1]);
        Assert.Equal("Bob", rows[1][2]);

        h.Exec("DELETE FROM users WHERE id = 1");
        Assert.Equal(1, (await h.Engine.SyncAsync(s_ct)).RowsDeleted);
        Assert.Equal(0L, h.Olap("SELECT count(*) FROM users WHERE _rhei_valid_to IS NULL")[0][0]);
        Assert.Equal(2, h.OlapCount("users"));
    }

    [Fact]
    public async Task Schema_persists_across_restarts()
    {
        await using var h = new ReplicationHarness();
        var registry = Path.Combine(h.Directory, "registry.json");
        await h.OpenEngineAsync(registryPath: registry);
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        Assert.True(File.Exists(registry));
        await h.CloseEngineAsync();

        await h.OpenEngineAsync(registryPath: registry);
        var schema = h.Engine.Registry.Get("users");
        Assert.Equal("users", schema.Name);
        Assert.Equal(["id"], schema.Definition.PrimaryKey);
        Assert.Equal(3, schema.Columns.Count);
        Assert.True(h.Engine.IsReplicated("users"));
    }

    [Fact]
    public async Task Schema_persist_round_trips_types()
    {
        await using var h = new ReplicationHarness();
        var registry = Path.Combine(h.Directory, "types_registry.json");
        await h.OpenEngineAsync(registryPath: registry);
        h.Exec("CREATE TABLE events (id INTEGER PRIMARY KEY, score REAL, label TEXT, active INTEGER, data BLOB)");
        var rich = new RheiTableSchema(
            "events",
            [new RheiColumn("id", "INTEGER", false), new RheiColumn("score", "REAL"), new RheiColumn("label", "TEXT"), new RheiColumn("active", "BOOLEAN"), new RheiColumn("data", "BLOB")],
            ["id"]);
        await h.Engine.RegisterTableAsync(rich, s_ct);
        await h.CloseEngineAsync();

        await h.OpenEngineAsync(registryPath: registry);
        Assert.Equal(rich, h.Engine.Registry.Get("events").Definition);
        var json = File.ReadAllText(registry);
        foreach (var arrow in new[] { "Int64", "Float64", "Utf8", "Boolean", "Binary" })
        {
            Assert.Contains("\"" + arrow + "\"", json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RegisterTable_idempotent_matching_schema()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        Assert.Equal(4, h.SqliteScalar("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"));
    }

    [Fact]
    public async Task RegisterTable_errors_on_conflicting_schema()
    {
        await using var h = await StartAsync();
        h.Exec(CreateUsers);
        await h.Engine.RegisterTableAsync(Users(), s_ct);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Engine.RegisterTableAsync(UsersTwoColumns(), s_ct));
        Assert.Contains("different schema", error.Message, StringComparison.Ordinal);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, int timeoutMs = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
