using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rhei.Data.Olap;
using Rhei.Data.Schema;
using Rhei.Data.Sync;

namespace Rhei.Data.Sidecar;

/// <summary>
/// The DuckDB side of a sidecar: its own session, the followed tables' mirrors, and two state tables in DuckDB that
/// commit with the rows: <c>_rhei_sidecar_position</c> (the source's position the mirror has applied through) and
/// <c>_rhei_sidecar_tables</c> (each table's shape and quarantine). Copy, apply and key scan each run in one DuckDB
/// transaction. Beside the local sync's state tables, never mixed with them. Not thread-safe: the replicator's lock
/// serializes every call.
/// </summary>
internal sealed class SidecarMirror : IDisposable
{
    public const string PositionTable = "_rhei_sidecar_position";
    public const string TablesTable = "_rhei_sidecar_tables";
    private const string KeyStage = "_rhei_sidecar_keys";

    private readonly DuckDbDatabase _database;
    private readonly RheiSyncMode _mode;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SidecarMirrorTable> _tables = new(StringComparer.OrdinalIgnoreCase);
    private IReadOnlyDictionary<string, TableSchema> _snapshot = new Dictionary<string, TableSchema>(StringComparer.OrdinalIgnoreCase);
    private DuckDbSession? _session;

    public SidecarMirror(DuckDbDatabase database, RheiSyncMode mode, ILogger logger)
    {
        _database = database;
        _mode = mode;
        _logger = logger;
    }

    /// <summary>Test hook: called with "apply" inside a batch's transaction and "copy" inside the initial copy's, before commit.</summary>
    public Action<string>? FaultInjector { get; set; }

    /// <summary>The followed tables' schemas for the planner; a new instance at every change.</summary>
    public IReadOnlyDictionary<string, TableSchema> Snapshot => Volatile.Read(ref _snapshot);

    public ICollection<SidecarMirrorTable> Tables => _tables.Values;

    public SidecarMirrorTable? Find(string table) => _tables.GetValueOrDefault(table);

    private DuckDbSession Session => _session ?? throw new InvalidOperationException("The sidecar mirror is not open.");

    public void Open()
    {
        _session = _database.Connect();
        _session.Execute(
            $"CREATE TABLE IF NOT EXISTS {PositionTable} (source VARCHAR NOT NULL, position VARCHAR NOT NULL);"
            + $"CREATE TABLE IF NOT EXISTS {TablesTable} (tbl VARCHAR NOT NULL, shape_json VARCHAR NOT NULL, quarantine_reason VARCHAR, offending_key VARCHAR);");
    }

    /// <summary>
    /// The position a durable mirror stopped at, when it can resume from it: it was built from a source of this
    /// kind, holds exactly these table shapes, and nothing is quarantined (a quarantined table is reloaded). Otherwise null.
    /// </summary>
    public SidecarPosition? ResumablePosition(string sourceKind, IReadOnlyList<SidecarTable> tables)
    {
        string? position = null;
        using (var reader = Session.Query($"SELECT source, position FROM {PositionTable} LIMIT 1"))
        {
            if (reader.Read() && reader.GetString(0) == sourceKind)
            {
                position = reader.GetString(1);
            }
        }

        if (position is null)
        {
            return null;
        }

        var stored = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using (var reader = Session.Query($"SELECT tbl, shape_json, quarantine_reason FROM {TablesTable}"))
        {
            while (reader.Read())
            {
                if (!reader.IsDBNull(2))
                {
                    return null;
                }

                stored[reader.GetString(0)] = reader.GetString(1);
            }
        }

        if (stored.Count != tables.Count || tables.Any(t => !stored.TryGetValue(t.Name, out var json) || json != Shape(t)))
        {
            return null;
        }

        Adopt(tables.Select(SidecarMirrorTable.From));
        return new SidecarPosition(position);
    }

    /// <summary>
    /// Drops whatever the sidecar mirror held and copies every table afresh in one DuckDB transaction, with the
    /// position the copy returns: a crash before its commit leaves no position, so the next start copies again.
    /// </summary>
    public async Task<(SidecarPosition Position, long Rows)> CopyAsync(
        string sourceKind, IReadOnlyList<SidecarTable> tables, Func<ISidecarRowSink, Task<SidecarPosition>> copy)
    {
        var mirrored = tables.Select(SidecarMirrorTable.From).ToArray();
        var session = Session;
        session.Execute("BEGIN TRANSACTION");
        try
        {
            DropAllInTransaction();
            foreach (var table in mirrored)
            {
                session.Execute($"CREATE OR REPLACE TABLE {table.Schema.QuotedName} ({SidecarApplier.ColumnDefinitions(table.Table, _mode)})");
            }

            SidecarPosition position;
            SidecarCopySink sink;
            using (sink = new SidecarCopySink(session, mirrored, _mode))
            {
                position = await copy(sink).ConfigureAwait(false);
                sink.Complete();
            }

            var states = mirrored.Select(t => sink.Quarantines.TryGetValue(t.Name, out var q) ? t with { QuarantineReason = q.Reason, OffendingKey = q.Key } : t).ToArray();
            foreach (var state in states)
            {
                if (state.QuarantineReason is not null)
                {
                    MirrorDdl.Quarantine(session, state.Name, _mode);
                    _logger.LogWarning("Sidecar table '{Table}' is quarantined: {Reason} Key {Key}.", state.Name, state.QuarantineReason, state.OffendingKey);
                }

                WriteTableState(state);
            }

            WritePosition(sourceKind, position);
            FaultInjector?.Invoke("copy");
            session.Execute("COMMIT");
            Adopt(states);
            return (position, sink.Rows);
        }
        catch
        {
            RollBackQuietly();
            throw;
        }
    }

    /// <summary>
    /// Applies a batch and stores its position in one DuckDB transaction: new columns first, then each table's changes.
    /// A value a table cannot take quarantines that table (the others apply); the counts are of what was applied.
    /// </summary>
    public RheiSyncResult Apply(string sourceKind, SidecarBatch batch, ISet<string> tablesApplied)
        => TryApply(sourceKind, batch, tablesApplied, out var result)
            ? result
            : throw RheiException.Provider("The sidecar batch must be read again: a table of it was quarantined while its staged rows were applied.");

    /// <summary>
    /// <see cref="Apply"/>; false when a table of a batch with staged rows failed in DuckDB: it is quarantined,
    /// nothing of the batch is committed, and the caller reads the batch again (staged chunks go to DuckDB once).
    /// </summary>
    public bool TryApply(string sourceKind, SidecarBatch batch, ISet<string> tablesApplied, out RheiSyncResult result)
    {
        while (true)
        {
            var session = Session;
            string? failing = null;
            var pending = new List<SidecarMirrorTable>();
            long inserted = 0, updated = 0, deleted = 0, events = 0;
            session.Execute("BEGIN TRANSACTION");
            try
            {
                foreach (var evolved in batch.SchemaChanges)
                {
                    pending.Add(Evolve(evolved));
                }

                foreach (var group in batch.Changes.GroupBy(c => c.Table, StringComparer.OrdinalIgnoreCase))
                {
                    var table = pending.LastOrDefault(t => t.Name.Equals(group.Key, StringComparison.OrdinalIgnoreCase)) ?? Find(group.Key);
                    if (table is null || table.QuarantineReason is not null)
                    {
                        continue;
                    }

                    var changes = group.ToArray();
                    if (table.SqliteTyped && Misfit(table, changes) is { } misfit)
                    {
                        pending.Add(Quarantine(session, table, misfit.Reason, misfit.Key));
                        continue;
                    }

                    failing = table.Name;
                    var (i, u, d) = SidecarApplier.Apply(session, table, changes, _mode);
                    failing = null;
                    inserted += i;
                    updated += u;
                    deleted += d;
                    events += changes.Length;
                    tablesApplied.Add(table.Name);
                }

                foreach (var staged in batch.Staged)
                {
                    var table = pending.LastOrDefault(t => t.Name.Equals(staged.Table.Name, StringComparison.OrdinalIgnoreCase)) ?? Find(staged.Table.Name);
                    if (table is null || table.QuarantineReason is not null)
                    {
                        continue;
                    }

                    if (staged.Misfit is { } misfit)
                    {
                        pending.Add(Quarantine(session, table, misfit.Reason, misfit.Key));
                        continue;
                    }

                    failing = table.Name;
                    var (i, u, d) = SidecarStagedApplier.Apply(session, table, staged, _mode);
                    failing = null;
                    inserted += i;
                    updated += u;
                    deleted += d;
                    events += staged.Count;
                    tablesApplied.Add(table.Name);
                }

                WritePosition(sourceKind, batch.Position);
                FaultInjector?.Invoke("apply");
                session.Execute("COMMIT");
                Adopt(pending);
                result = new RheiSyncResult(events, inserted, updated, deleted, null, TimeSpan.Zero);
                return true;
            }
            catch (DuckDbException ex) when (failing is not null && !MirrorFaults.IsEnvironmental(ex))
            {
                // The table's values do not go into DuckDB: quarantine it and apply the batch again without it.
                RollBackQuietly();
                tablesApplied.Clear();
                _logger.LogError(ex, "Applying sidecar changes to the mirror of '{Table}' failed; the table is quarantined.", failing);
                Quarantine(failing, ex.Message, null);
                if (batch.Staged.Count > 0)
                {
                    // Staged chunks are handed to DuckDB once: the caller reads the batch again, without the quarantined table.
                    result = new RheiSyncResult(0, 0, 0, 0, null, TimeSpan.Zero);
                    return false;
                }
            }
            catch
            {
                RollBackQuietly();
                throw;
            }
        }
    }

    /// <summary>
    /// Key scan: loads the source's current key set of a table into DuckDB (<paramref name="copyKeys"/>) and removes
    /// (destructive) or closes (temporal) every mirrored row whose key is gone, in one transaction. Reads every key of
    /// the table once: its cost is O(rows), which is why it runs at a bounded interval. Returns the rows deleted.
    /// </summary>
    public async Task<long> ScanKeysAsync(SidecarMirrorTable table, Func<ISidecarRowSink, Task> copyKeys)
    {
        var session = Session;
        var keyColumns = table.Schema.KeyOrdinals.Select(i => table.Table.Columns[i]).ToArray();
        session.Execute("BEGIN TRANSACTION");
        try
        {
            session.Execute($"CREATE OR REPLACE TEMP TABLE {KeyStage} ({string.Join(", ", keyColumns.Select(c => SqlIdentifier.Quote(c.Name) + " " + c.DuckDbType))})");
            using (var sink = new KeySink(session.CreateAppender(KeyStage)))
            {
                await copyKeys(sink).ConfigureAwait(false);
                sink.Close();
            }

            var match = string.Join(" AND ", keyColumns.Select(c => $"k.{SqlIdentifier.Quote(c.Name)} = t.{SqlIdentifier.Quote(c.Name)}"));
            var gone = $"NOT EXISTS (SELECT 1 FROM {KeyStage} AS k WHERE {match})";
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var deleted = _mode == RheiSyncMode.Temporal
                ? session.ExecuteNonQuery($"UPDATE {table.Schema.QuotedName} AS t SET {MirrorDdl.ValidTo} = greatest({now}, t.{MirrorDdl.ValidFrom}) WHERE t.{MirrorDdl.ValidTo} IS NULL AND {gone}")
                : session.ExecuteNonQuery($"DELETE FROM {table.Schema.QuotedName} AS t WHERE {gone}");
            session.Execute($"DROP TABLE {KeyStage}; COMMIT");
            return deleted;
        }
        catch
        {
            RollBackQuietly();
            throw;
        }
    }

    /// <summary>Forgets the stored position (the source can no longer continue from it): the next start copies again.</summary>
    public void ForgetPosition() => Session.Execute($"DELETE FROM {PositionTable}");

    /// <summary>Rows in a table's mirror (current rows only in temporal mode).</summary>
    public long CountRows(SidecarMirrorTable table)
    {
        var filter = _mode == RheiSyncMode.Temporal ? $" WHERE {MirrorDdl.ValidTo} IS NULL" : string.Empty;
        using var reader = Session.Query($"SELECT count(*) FROM {table.Schema.QuotedName}{filter}");
        return reader.Read() ? reader.GetInt64(0) : 0;
    }

    public void Dispose() => _session?.Dispose();

    private static string Shape(SidecarTable table) => JsonSerializer.Serialize(table);

    /// <summary>Adds the columns a source reported new, inside the caller's transaction; returns the table's new state.</summary>
    private SidecarMirrorTable Evolve(SidecarTable evolved)
    {
        var current = Find(evolved.Name) ?? throw RheiException.Provider($"The sidecar source reported a new shape for '{evolved.Name}', which is not followed.");
        foreach (var column in evolved.Columns.Where(c => !current.Table.Columns.Any(x => x.Name.Equals(c.Name, StringComparison.OrdinalIgnoreCase))))
        {
            if (current.QuarantineReason is null)
            {
                Session.Execute($"ALTER TABLE {current.Schema.QuotedName} ADD COLUMN {SqlIdentifier.Quote(column.Name)} {column.DuckDbType}");
            }
        }

        var next = SidecarMirrorTable.From(evolved) with { QuarantineReason = current.QuarantineReason, OffendingKey = current.OffendingKey };
        WriteTableState(next);
        return next;
    }

    private static (string Reason, string Key)? Misfit(SidecarMirrorTable table, SidecarChange[] changes)
    {
        foreach (var change in changes)
        {
            for (var k = 0; k < change.Key.Length; k++)
            {
                if (change.Key[k] is null)
                {
                    return (MirrorTypeFit.NullKey(table.Schema, k), DescribeKey(change.Key));
                }
            }

            if (change.Values is { } values && MirrorTypeFit.FirstMisfit(table.Schema, values) is { } column)
            {
                return (MirrorTypeFit.Misfit(table.Schema, column, values[column]), DescribeKey(change.Key));
            }
        }

        return null;
    }

    internal static string DescribeKey(IReadOnlyList<object?> key)
        => SqliteWatermarks.Describe(key.Select(v => v is int i ? (long)i : v).ToArray());

    /// <summary>Quarantines every table the source stopped delivering that is not quarantined yet.</summary>
    public void AdoptSourceQuarantine(IReadOnlyDictionary<string, string> quarantined)
    {
        foreach (var (table, reason) in quarantined)
        {
            if (Find(table) is { QuarantineReason: null })
            {
                Quarantine(table, reason, null);
            }
        }
    }

    private void Quarantine(string table, string reason, string? key)
    {
        var state = Find(table)! with { QuarantineReason = reason, OffendingKey = key };
        var session = Session;
        session.Execute("BEGIN TRANSACTION");
        MirrorDdl.Quarantine(session, table, _mode);
        WriteTableState(state);
        session.Execute("COMMIT");
        Adopt([state]);
        _logger.LogWarning("Sidecar table '{Table}' is quarantined: {Reason}. Its reads go to the source until the engine restarts and reloads it.", table, reason);
    }

    private void DropAllInTransaction()
    {
        var stored = new List<string>();
        using (var reader = Session.Query($"SELECT tbl FROM {TablesTable}"))
        {
            while (reader.Read())
            {
                stored.Add(reader.GetString(0));
            }
        }

        foreach (var table in stored.Concat(_tables.Keys).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            MirrorDdl.Drop(Session, table);
        }

        Session.Execute($"DELETE FROM {TablesTable}; DELETE FROM {PositionTable};");
        _tables.Clear();
        Volatile.Write(ref _snapshot, new Dictionary<string, TableSchema>(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Quarantines a table whose value does not fit the mirror: its mirror table goes, its state records why.</summary>
    private SidecarMirrorTable Quarantine(DuckDbSession session, SidecarMirrorTable table, string reason, string? key)
    {
        MirrorDdl.Quarantine(session, table.Name, _mode);
        var quarantined = table with { QuarantineReason = reason, OffendingKey = key };
        WriteTableState(quarantined);
        return quarantined;
    }

    private void WriteTableState(SidecarMirrorTable table)
    {
        Session.ExecuteNonQuery($"DELETE FROM {TablesTable} WHERE tbl = $1", [table.Name]);
        Session.ExecuteNonQuery($"INSERT INTO {TablesTable} VALUES ($1, $2, $3, $4)", [table.Name, Shape(table.Table), table.QuarantineReason, table.OffendingKey]);
    }

    private void WritePosition(string sourceKind, SidecarPosition position)
    {
        Session.ExecuteNonQuery($"DELETE FROM {PositionTable}");
        Session.ExecuteNonQuery($"INSERT INTO {PositionTable} VALUES ($1, $2)", [sourceKind, position.Value]);
    }

    private void Adopt(IEnumerable<SidecarMirrorTable> tables)
    {
        foreach (var table in tables)
        {
            _tables[table.Name] = table;
        }

        Volatile.Write(ref _snapshot, _tables.Values.ToDictionary(t => t.Name, t => t.Schema, StringComparer.OrdinalIgnoreCase));
    }

    private void RollBackQuietly()
    {
        try
        {
            _session?.Execute("ROLLBACK");
        }
        catch (DuckDbException ex)
        {
            _logger.LogWarning(ex, "Could not roll back the sidecar mirror transaction.");
        }
    }

    /// <summary>Where a key scan's keys go: one appender on the key stage.</summary>
    private sealed class KeySink(DuckDbAppender appender) : ISidecarRowSink, IDisposable
    {
        public void Append(SidecarTable table, ReadOnlySpan<object?> values)
        {
            foreach (var value in values)
            {
                SidecarApplier.AppendValue(appender, value);
            }

            appender.EndRow();
        }

        public void Close() => appender.Close();

        public void Dispose() => appender.Dispose();
    }
}
