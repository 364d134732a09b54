using Microsoft.Data.Sqlite;

namespace Rhei.Data;

/// <summary>
/// The immutable settings of one data source, read once from a validated connection string.
/// Everything the engine needs comes from here; nothing re-parses the connection string.
/// </summary>
internal sealed record RheiOptions
{
    /// <summary>The connection string as the user gave it, normalized; the key that shares one engine.</summary>
    public required string NormalizedConnectionString { get; init; }

    /// <summary>The same, with any password hidden: safe for logs, metrics and exception messages.</summary>
    public required string RedactedConnectionString { get; init; }

    /// <summary>The same, without the password: what a connection shows once opened (Persist Security Info=False).</summary>
    public string ConnectionStringWithoutPassword
    {
        get => _connectionStringWithoutPassword ?? RedactedConnectionString;
        init => _connectionStringWithoutPassword = value;
    }

    private readonly string? _connectionStringWithoutPassword;

    /// <summary>Whether an opened connection keeps showing its password (<c>Persist Security Info</c>).</summary>
    public bool PersistSecurityInfo { get; init; }

    /// <summary>What Microsoft.Data.Sqlite is opened with.</summary>
    public required string SqliteConnectionString
    {
        get => _sqliteConnectionString;
        init
        {
            _sqliteConnectionString = value;
            // Derived once from what SQLite really opens, so equal options stay equal.
            var sqlite = new SqliteConnectionStringBuilder(value);
            _memoryKind = SqliteMemoryDatabase.Classify(sqlite.DataSource, sqlite.Mode, sqlite.Cache);
        }
    }

    private readonly string _sqliteConnectionString = string.Empty;
    private readonly (bool InMemory, bool Private) _memoryKind;

    /// <summary>The SQLite file; ":memory:" or empty for an in-memory database.</summary>
    public required string DataSource { get; init; }

    /// <summary>
    /// The data source's name in metrics, traces and health checks (the <c>db.namespace</c> tag): the name given to
    /// <see cref="RheiDataSourceBuilder.Name"/>, else <see cref="DataSource"/> as written, without a URI's query string.
    /// Never the connection string, which may hold a password.
    /// </summary>
    public string DiagnosticsName
    {
        get => _diagnosticsName ?? Diagnostics.DataSourceName.Of(DataSource);
        init => _diagnosticsName = value;
    }

    private readonly string? _diagnosticsName;

    /// <summary>Whether command spans carry the command text as <c>db.query.text</c> (<see cref="RheiDataSourceBuilder.EnableQueryTextInTraces"/>).</summary>
    public bool TraceQueryText { get; init; }

    public RheiOlapEngine Olap { get; init; } = RheiOlapEngine.DuckDb;

    /// <summary>DuckDB file of a durable mirror, or null for in memory.</summary>
    public string? OlapPath { get; init; }

    /// <summary>Whether DuckDB's file and network functions are open to SQL (default false: locked down).</summary>
    public bool OlapExternalAccess { get; init; }

    /// <summary>DuckDB's <c>memory_limit</c> in bytes (<c>Olap Memory Limit</c>), or null for DuckDB's default.</summary>
    public long? OlapMemoryLimit { get; init; }

    /// <summary>Null replicates every table with a primary key; otherwise exactly these tables (empty = none).</summary>
    public IReadOnlySet<string>? ReplicatedTables { get; init; }

    public RheiSyncMode SyncMode { get; init; } = RheiSyncMode.Destructive;

    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public int SyncBatchSize { get; init; } = 100_000;

    public bool PruneAfterSync { get; init; } = true;

    public RheiFreshness Freshness { get; init; } = RheiFreshness.Strong;

    /// <summary>Bound on staleness for eventual reads; null = unbounded.</summary>
    public TimeSpan? MaxStaleness { get; init; }

    public RheiRoute DefaultRoute { get; init; } = RheiRoute.Auto;

    /// <summary>
    /// The crossover measured on the routing benchmark (docs/benchmarks.md, "Routing, round five"): a filter SQLite
    /// answers by a full scan that returns almost nothing (the case most favourable to SQLite: ~25 ns a row scanned
    /// against DuckDB's ~0.1 ms per query) costs the same on both engines at 5,000–7,000 rows; every row it returns adds
    /// more on SQLite than on DuckDB, so a 10% filter crosses over at 2,000–3,000 rows. Above this many rows DuckDB wins
    /// whatever the filter keeps, and the gap grows with the table.
    /// </summary>
    public const int DefaultFullScanThreshold = 5_000;

    /// <summary>Rows from which SQLite's query plan steers a read (<c>Full Scan Threshold</c>); 0 = by shape only.</summary>
    public long FullScanThreshold { get; init; } = DefaultFullScanThreshold;

    public string? BridgePath { get; init; }

    public string? SchemaRegistryPath { get; init; }

    /// <summary>The followed external database (sidecar mode), or null when <c>Sidecar=None</c>.</summary>
    public Sidecar.SidecarOptions? Sidecar { get; init; }

    /// <summary>Whether the SQLite database lives in memory (then WAL does not apply and the mirror cannot outlive it).</summary>
    public bool IsInMemorySqlite => _memoryKind.InMemory;

    /// <summary>
    /// Whether the SQLite database is in memory and private to the connection that opens it: each of the engine's
    /// connections would see another, empty database, so it cannot have a mirror.
    /// </summary>
    public bool IsPrivateInMemorySqlite => _memoryKind.Private;

    /// <inheritdoc />
    /// <remarks>A record prints every property; this one carries connection strings, so it prints only the redacted one.</remarks>
    public override string ToString() => RedactedConnectionString;

    public static RheiOptions FromConnectionString(string connectionString)
        => From(new RheiConnectionStringBuilder(connectionString));

    public static RheiOptions From(RheiConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException("The connection string has no 'Data Source'. Name the SQLite file, for example \"Data Source=app.db\".", "Data Source");
        }

        var replicate = builder.Replicate.Trim();
        IReadOnlySet<string>? tables = replicate.Equals("All", StringComparison.OrdinalIgnoreCase)
            ? null
            : replicate.Equals("None", StringComparison.OrdinalIgnoreCase)
                ? new HashSet<string>(StringComparer.OrdinalIgnoreCase)
                : new HashSet<string>(replicate.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);

        var options = new RheiOptions
        {
            NormalizedConnectionString = builder.ConnectionString,
            RedactedConnectionString = builder.ToRedactedString(),
            ConnectionStringWithoutPassword = builder.ToStringWithoutPassword(),
            PersistSecurityInfo = builder.PersistSecurityInfo,
            SqliteConnectionString = builder.ToSqliteConnectionString(),
            DataSource = builder.DataSource,
            Olap = builder.Olap,
            OlapPath = string.IsNullOrWhiteSpace(builder.OlapPath) ? null : builder.OlapPath,
            OlapExternalAccess = builder.OlapExternalAccess,
            OlapMemoryLimit = builder.OlapMemoryLimitBytes,
            ReplicatedTables = tables,
            SyncMode = builder.SyncMode,
            SyncInterval = TimeSpan.FromMilliseconds(builder.SyncInterval),
            SyncBatchSize = builder.SyncBatchSize,
            PruneAfterSync = builder.PruneAfterSync,
            Freshness = builder.Freshness,
            MaxStaleness = builder.MaxStaleness == 0 ? null : TimeSpan.FromMilliseconds(builder.MaxStaleness),
            DefaultRoute = builder.DefaultRoute,
            FullScanThreshold = builder.FullScanThreshold,
            BridgePath = string.IsNullOrWhiteSpace(builder.BridgePath) ? null : builder.BridgePath,
            SchemaRegistryPath = string.IsNullOrWhiteSpace(builder.SchemaRegistryPath) ? null : builder.SchemaRegistryPath,
            Sidecar = Rhei.Data.Sidecar.SidecarOptions.From(builder),
        };

        if (options.BridgePath is not null)
        {
            // A durable log of changes only exists where change capture runs and outlives the process.
            if (options.Olap == RheiOlapEngine.None)
            {
                throw new ArgumentException("Connection string keyword 'Bridge Path' needs change capture: it keeps a durable log of the changes the DuckDB mirror follows. Use Olap=DuckDb, or remove the key.", "Bridge Path");
            }

            if (options.IsInMemorySqlite)
            {
                throw new ArgumentException("Connection string keyword 'Bridge Path' cannot be used with an in-memory SQLite database: a durable log of a database that dies with the process would describe nothing. Use a file for 'Data Source', or remove the key.", "Bridge Path");
            }
        }

        return options;
    }
}
