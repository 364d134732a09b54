using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;
using Rhei.Data.Sync;

namespace Rhei.Data.Tests.Sync;

/// <summary>A SQLite file in a temp directory, a DuckDB mirror and a replication engine over them.</summary>
internal sealed class ReplicationHarness : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _engines = new();
    private readonly List<DuckDbDatabase> _databases = new();

    public ReplicationHarness(string? directory = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "rhei-repl-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DbPath = Path.Combine(Directory, "test.db");
    }

    /// <summary>Stands for Replicate=All (null in <see cref="RheiOptions.ReplicatedTables"/>).</summary>
    public static readonly IReadOnlySet<string> AllTables = new HashSet<string> { "*" };

    public string Directory { get; }

    public string DbPath { get; }

    public LocalReplicator Engine { get; private set; } = null!;

    public DuckDbDatabase Duck { get; private set; } = null!;

    public static async Task<ReplicationHarness> StartAsync(RheiSyncMode mode = RheiSyncMode.Destructive, IReadOnlySet<string>? replicate = null, bool durable = false, string? registryPath = null, int batchSize = 100)
    {
        var harness = new ReplicationHarness();
        await harness.OpenEngineAsync(mode, replicate, durable, registryPath, batchSize);
        return harness;
    }

    public RheiOptions Options(RheiSyncMode mode = RheiSyncMode.Destructive, IReadOnlySet<string>? replicate = null, bool durable = false, string? registryPath = null, int batchSize = 100)
    {
        var sqlite = new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = true }.ToString();
        return new RheiOptions
        {
            NormalizedConnectionString = sqlite,
            RedactedConnectionString = sqlite,
            SqliteConnectionString = sqlite,
            DataSource = DbPath,
            OlapPath = durable ? Path.Combine(Directory, "mirror.duckdb") : null,
            ReplicatedTables = ReferenceEquals(replicate, AllTables) ? null : replicate ?? new HashSet<string>(),
            SyncMode = mode,
            SyncInterval = TimeSpan.Zero,
            SyncBatchSize = batchSize,
            SchemaRegistryPath = registryPath,
        };
    }

    /// <summary>Opens a new engine (and DuckDB database) on the same SQLite file; the newest becomes <see cref="Engine"/>.</summary>
    public async Task<LocalReplicator> OpenEngineAsync(RheiSyncMode mode = RheiSyncMode.Destructive, IReadOnlySet<string>? replicate = null, bool durable = false, string? registryPath = null, int batchSize = 100)
    {
        var options = Options(mode, replicate, durable, registryPath, batchSize);
        var duck = DuckDbDatabase.Open(options.OlapPath);
        var engine = new LocalReplicator(options, duck, null);
        await engine.StartAsync(CancellationToken.None);
        _engines.Add(engine);
        _databases.Add(duck);
        Engine = engine;
        Duck = duck;
        return engine;
    }

    /// <summary>Disposes the current engine and its DuckDB database (a clean shutdown).</summary>
    public async Task CloseEngineAsync()
    {
        await Engine.DisposeAsync();
        Duck.Dispose();
        _engines.Remove(Engine);
        _databases.Remove(Duck);
    }

    public SqliteConnection OpenSqlite()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, DefaultTimeout = 30 }.ToString());
        connection.Open();
        return connection;
    }

    public void Exec(string sql, params object?[] args)
    {
        using var connection = OpenSqlite();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            command.Parameters.AddWithValue("$p" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), args[i] ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    public long SqliteScalar(string sql)
    {
        using var connection = OpenSqlite();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Each value with its CLR type, so rows from SQLite and from the mirror compare by both.</summary>
    public static List<string> Typed(List<object?[]> rows)
        => rows.Select(r => string.Join("|", r.Select(v => v switch
        {
            null => "null",
            byte[] b => "byte[]:" + Convert.ToHexString(b),
            double d => "double:" + d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            IFormattable f => v.GetType().Name + ":" + f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => v.GetType().Name + ":" + v,
        }))).ToList();

    /// <summary>Every row of <paramref name="sql"/> as SQLite returns it (NULL as null), to compare with <see cref="Olap"/>.</summary>
    public List<object?[]> SqliteRows(string sql)
    {
        using var connection = OpenSqlite();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public List<object?[]> Olap(string sql)
    {
        using var session = Duck.Connect();
        using var reader = session.Query(sql);
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetSqliteValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public List<string> OlapColumns(string table)
        => Olap($"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position").Select(r => (string)r[0]!).ToList();

    public long OlapCount(string table) => Convert.ToInt64(Olap($"SELECT count(*) FROM \"{table}\"")[0][0], System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }

        foreach (var database in _databases)
        {
            database.Dispose();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind harms nothing.
        }
    }

    public static RheiTableSchema Users()
        => new("users", [new RheiColumn("id", "INTEGER", false), new RheiColumn("name", "TEXT"), new RheiColumn("age", "INTEGER")], ["id"]);

    public static RheiTableSchema UsersTwoColumns()
        => new("users", [new RheiColumn("id", "INTEGER", false), new RheiColumn("name", "TEXT")], ["id"]);

    public static RheiTableSchema Orders()
        => new("orders", [new RheiColumn("id", "INTEGER", false), new RheiColumn("user_id", "INTEGER"), new RheiColumn("total", "INTEGER")], ["id"]);
}
