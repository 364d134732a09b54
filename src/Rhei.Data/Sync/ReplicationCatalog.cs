using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Rhei.Data.Olap;
using Rhei.Data.Schema;
using Rhei.Data.Sql;
using SQLitePCL;

namespace Rhei.Data.Sync;

/// <summary>
/// The planner's view of one data source's mirror: the replication registry, the mirror's quarantine list, whether
/// DuckDB can answer now, SQLite's query plans and the mirror's row counts. Made once per engine; every answer reads
/// the current state, except the two caches: a query plan is kept per statement text until the schema version the
/// engine last saw (or the registry) changes; a row count until a cycle has applied changes since it was read and it
/// is a second old, or for half a minute at most (a full load outside a cycle): a routing threshold needs no exact
/// figure, and counting on every read would cost what routing saves.
/// </summary>
internal sealed class ReplicationCatalog(RheiEngine engine) : IMirrorCatalog
{
    // Ad-hoc texts (literals inlined) would grow the plan cache without end: past this many it starts over.
    private const int MaxCachedPlans = 4096;
    private static readonly TimeSpan s_rowCountAge = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_rowCountMaxAge = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, CachedPlan> _plans = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedCount> _rowCounts = new(StringComparer.OrdinalIgnoreCase);

    public bool OlapAvailable => engine.OlapAvailable && engine.Replication is not null;

    public bool TemporalMirror => engine.Options.SyncMode == RheiSyncMode.Temporal;

    public IReadOnlyDictionary<string, TableSchema>? Tables => engine.Sidecar is { } sidecar
        ? _followed.Merge(engine.Replication?.Registry.Snapshot, sidecar.Tables)
        : engine.Replication?.Registry.Snapshot;

    // Followed (sidecar) tables count as replicated: their mirrors answer reads like local ones.
    public bool IsReplicated(string table) => (engine.Replication?.IsReplicated(table) ?? false) || (engine.Sidecar?.IsFollowed(table) ?? false);

    public bool IsTemporal(string table) => (engine.Replication?.IsTemporal(table) ?? false)
        || (engine.Options.SyncMode == RheiSyncMode.Temporal && (engine.Sidecar?.IsFollowed(table) ?? false));

    public string? QuarantineReason(string table) => engine.Replication?.QuarantineReason(table) ?? engine.Sidecar?.QuarantineReason(table);

    private readonly Sidecar.SidecarCatalogTables _followed = new();

    public SqliteQueryPlan? SqlitePlan(string sqliteText)
    {
        if (engine.Replication is not { } replication)
        {
            return null;
        }

        var registry = replication.Registry.Snapshot;
        var version = replication.SchemaVersion;
        if (_plans.TryGetValue(sqliteText, out var cached) && cached.SchemaVersion == version && ReferenceEquals(cached.Registry, registry))
        {
            return cached.Plan;
        }

        var plan = Explain(sqliteText);
        if (_plans.Count >= MaxCachedPlans)
        {
            _plans.Clear();
        }

        _plans[sqliteText] = new CachedPlan(plan, version, registry);
        return plan;
    }

    public long? RowCount(string table)
    {
        if (engine.Replication is not { } replication || replication.Registry.Find(table) is not { } schema || replication.IsQuarantined(schema.Name))
        {
            return null;
        }

        var now = Stopwatch.GetTimestamp();
        var applied = replication.AppliedCycles;
        if (_rowCounts.TryGetValue(schema.Name, out var cached))
        {
            var age = Stopwatch.GetElapsedTime(cached.At, now);
            if (age < s_rowCountAge || (cached.AppliedCycles == applied && age < s_rowCountMaxAge))
            {
                return cached.Rows;
            }
        }

        var rows = CountMirrorRows(schema);
        _rowCounts[schema.Name] = new CachedCount(rows, now, applied);
        return rows;
    }

    /// <summary>
    /// <c>EXPLAIN QUERY PLAN</c> on a connection from Microsoft.Data.Sqlite's pool, through the native API: its parameters
    /// stay unbound (SQLite plans them as NULL; Microsoft.Data.Sqlite would refuse the missing values). Null when SQLite
    /// cannot plan the text on that connection (a function only the command's connection registered, say).
    /// </summary>
    private SqliteQueryPlan? Explain(string sqliteText)
    {
        try
        {
            using var connection = new SqliteConnection(engine.Options.SqliteConnectionString);
            connection.Open();
            var db = connection.Handle!;
            if (raw.sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN " + sqliteText, out var statement) != raw.SQLITE_OK)
            {
                statement.Dispose();
                return null;
            }

            using (statement)
            {
                var details = new List<string>();
                int rc;
                while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                    details.Add(raw.sqlite3_column_text(statement, 3).utf8_to_string() ?? string.Empty);
                }

                return rc == raw.SQLITE_DONE ? new SqliteQueryPlan(details) : null;
            }
        }
        catch (SqliteException)
        {
            // The database cannot be opened for planning now: route by shape, as without a plan.
            return null;
        }
    }

    /// <summary>Current rows of a table's mirror (DuckDB counts them from its row groups), or null when the mirror cannot be read now.</summary>
    private long? CountMirrorRows(TableSchema schema)
    {
        OlapSession session;
        try
        {
            session = engine.RentOlapSession();
        }
        catch (Exception ex) when (ex is RheiException or ObjectDisposedException or InvalidOperationException)
        {
            return null;
        }

        try
        {
            var filter = TemporalMirror ? $" WHERE {MirrorDdl.ValidTo} IS NULL" : string.Empty;
            using var reader = session.Session.Query($"SELECT count(*) FROM {schema.QuotedName}{filter}");
            return reader.Read() ? reader.GetInt64(0) : 0;
        }
        catch (DuckDbException)
        {
            // A table being reloaded or a mirror at fault: no size, so the read is routed by its shape.
            return null;
        }
        finally
        {
            engine.ReturnOlapSession(session);
        }
    }

    private sealed record CachedPlan(SqliteQueryPlan? Plan, long SchemaVersion, object Registry);

    private readonly record struct CachedCount(long? Rows, long At, long AppliedCycles);
}
