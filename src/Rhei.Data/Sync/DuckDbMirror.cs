using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

/// <summary>
/// The DuckDB side of replication: one session, the mirror tables and their state rows (<c>_rhei_table_state</c>,
/// the stored position). Applies a compacted batch together with its new position in one DuckDB transaction,
/// creates, alters, loads and drops mirror tables, quarantines a table whose values do not fit, and counts rows
/// for status. It knows nothing about where changes come from: any change source's batches apply here.
/// Not thread-safe: the pipeline's lock serializes every call.
/// </summary>
internal sealed class DuckDbMirror : IDisposable
{
    private readonly DuckDbDatabase _database;
    private readonly RheiSyncMode _mode;
    private readonly ILogger _logger;
    private readonly bool _storesPosition;
    private readonly ConcurrentDictionary<string, MirrorTableState> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, MirrorTableState> _pendingQuarantine = new(StringComparer.OrdinalIgnoreCase);

    // Prepared on this session; every path below that changes a mirror table's columns forgets the table's statement.
    private readonly MirrorRowStatements _rowStatements = new();
    private DuckDbSession? _session;

    /// <param name="database">The mirror's DuckDB database.</param>
    /// <param name="mode">Destructive or temporal apply.</param>
    /// <param name="logger">Where quarantines and clean-up failures are logged.</param>
    /// <param name="storesPosition">
    /// Whether each batch stores its position in the mirror, in its own transaction. Only a durable mirror needs it: that
    /// row is where it resumes after a restart. An in-memory mirror is loaded again by every process that opens it and never
    /// reads the row back, and the replicator keeps the position in memory, so for it the write would be a DuckDB
    /// statement per batch (300–800 µs on a 2-vCPU VM, a fifth of a Strong read's catch-up after one write) for nothing.
    /// </param>
    public DuckDbMirror(DuckDbDatabase database, RheiSyncMode mode, ILogger logger, bool storesPosition)
    {
        _database = database;
        _mode = mode;
        _logger = logger;
        _storesPosition = storesPosition;
    }

    /// <summary>Test hook: called with "apply" inside the mirror transaction of a batch; throw a DuckDB error to simulate a failing disk.</summary>
    public Action<string>? ApplyFaultInjector { get; set; }

    /// <summary>Whether the mirror can take changes now, and whether its file is damaged.</summary>
    public MirrorHealth Health { get; } = new();

    /// <summary>The session, for the loader and the stored-state reads that still run beside the mirror.</summary>
    public DuckDbSession Session => _session ?? throw new InvalidOperationException("The DuckDB mirror is not open.");

    /// <summary>The cached one-row INSERTs of small batches (tests look at how often they are prepared and used).</summary>
    internal MirrorRowStatements RowStatements => _rowStatements;

    /// <summary>Every mirrored table's state (floor, schema, quarantine), by table name.</summary>
    public ICollection<MirrorTableState> Tables => _tables.Values;

    public void Open()
    {
        _rowStatements.Clear();
        _session = _database.Connect();
        MirrorDdl.CreateSystemTables(_session);
    }

    public bool IsQuarantined(string table) => _tables.TryGetValue(table, out var state) && state.QuarantineReason is not null;

    /// <summary>Events of <paramref name="table"/> up to this position are covered by its last full load.</summary>
    public long Floor(string table) => _tables.TryGetValue(table, out var state) ? state.Floor : 0;

    public MirrorTableState? Find(string table) => _tables.GetValueOrDefault(table);

    /// <summary>Where a durable mirror stopped (consumer id and position), or null when it has no completed load.</summary>
    public (string ConsumerId, long Sequence)? StoredPosition()
        => MirrorState.ReadWatermark(Session);

    /// <summary>The identity of the SQLite database the mirror was built from, or null for a mirror older than that record.</summary>
    public long? StoredSourceDatabase() => MirrorState.ReadSourceDatabase(Session);

    public void WriteSourceDatabase(long sourceDatabaseId) => MirrorState.WriteSourceDatabase(Session, sourceDatabaseId);

    /// <summary>Adopts the table states a durable mirror stored when it stopped.</summary>
    public void AdoptStoredTables()
    {
        foreach (var state in MirrorState.ReadTables(Session))
        {
            _tables[state.Table] = state;
        }
    }

    /// <summary>
    /// Applies a batch and, for a durable mirror, its new position (<paramref name="consumerId"/>, the batch's last sequence) in one DuckDB
    /// transaction. A table the batch marks as not fitting is quarantined in the same transaction. False when
    /// applying a table failed inside DuckDB: that table is quarantined instead and the batch must be read again.
    /// </summary>
    public bool Apply(ChangeBatch batch, string consumerId, Func<string, TableSchema> schemaOf)
    {
        if (TryApplyAlone(batch, schemaOf) is { } applied)
        {
            return applied;
        }

        var session = Session;
        TableChanges? current = null;
        var phase = ApplyPhaseTimes.Start();
        session.Execute("BEGIN TRANSACTION");
        ApplyPhaseTimes.Stop(ApplyPhase.MirrorCommit, phase);
        try
        {
            foreach (var changes in batch.Tables.Values)
            {
                current = changes;
                if (changes.QuarantineReason is not null)
                {
                    Quarantine(schemaOf(changes.Schema.Name), changes.QuarantineReason, changes.OffendingKey, inTransaction: true);
                }
                else
                {
                    MirrorApplier.Apply(session, _rowStatements, changes, _mode);
                }
            }

            current = null;
            ApplyFaultInjector?.Invoke("apply");
            phase = ApplyPhaseTimes.Start();
            if (_storesPosition)
            {
                MirrorState.WriteWatermark(session, consumerId, batch.ToInclusive);
                phase = ApplyPhaseTimes.Stop(ApplyPhase.Position, phase);
            }

            session.Execute("COMMIT");
            ApplyPhaseTimes.Stop(ApplyPhase.MirrorCommit, phase);
            foreach (var changes in batch.Tables.Values.Where(c => c.QuarantineReason is not null))
            {
                _tables[changes.Schema.Name] = _pendingQuarantine[changes.Schema.Name];
            }

            _pendingQuarantine.Clear();
            return true;
        }
        catch (DuckDbException ex) when (current is not null && !MirrorFaults.IsEnvironmental(ex))
        {
            session.Execute("ROLLBACK");
            _pendingQuarantine.Clear();
            return QuarantineFailed(ex, current.Schema.Name, schemaOf);
        }
        catch
        {
            // Whatever failed, the next batch starts from freshly prepared statements: a prepare is cheap beside a fault.
            RollBackQuietly();
            _pendingQuarantine.Clear();
            _rowStatements.Clear();
            throw;
        }
        finally
        {
            // The data chunks are DuckDB's memory: freed now, not when the finalizer gets to them. A batch that did not
            // apply is read again from the log, never applied from these.
            foreach (var changes in batch.Tables.Values)
            {
                changes.Dispose();
            }
        }
    }

    /// <summary>
    /// A batch that changed one row of one table, in a mirror that stores no position with it, is one DuckDB statement
    /// (<see cref="MirrorRowStatements.TryUpsertOne"/>) run as its own transaction: no BEGIN and COMMIT round trips, most
    /// of what a Strong read right after a one-row write waited for. Null when the batch is not such a batch (nothing
    /// done: the caller applies it in a transaction); otherwise what <see cref="Apply"/> returns.
    /// </summary>
    private bool? TryApplyAlone(ChangeBatch batch, Func<string, TableSchema> schemaOf)
    {
        // A fault injected between the rows and the commit must find them uncommitted, so tests of it keep the transaction.
        if (_storesPosition || _mode != RheiSyncMode.Destructive || ApplyFaultInjector is not null || batch.Tables.Count != 1)
        {
            return null;
        }

        var changes = batch.Tables.Values.First();
        if (changes.QuarantineReason is not null)
        {
            return null;
        }

        var session = Session;
        var phase = ApplyPhaseTimes.Start();
        try
        {
            if (!_rowStatements.TryUpsertOne(session, changes))
            {
                return null;
            }

            ApplyPhaseTimes.Stop(ApplyPhase.Upsert, phase);
            changes.Dispose();
            return true;
        }
        catch (DuckDbException ex) when (!MirrorFaults.IsEnvironmental(ex))
        {
            // The failed statement changed nothing (DuckDB rolled its own transaction back): quarantine, read again.
            changes.Dispose();
            return QuarantineFailed(ex, changes.Schema.Name, schemaOf);
        }
        catch
        {
            _rowStatements.Clear();
            changes.Dispose();
            throw;
        }
    }

    /// <summary>After a table's apply failed inside DuckDB and nothing of it stayed: quarantines the table; false, so the batch is read again.</summary>
    private bool QuarantineFailed(DuckDbException ex, string table, Func<string, TableSchema> schemaOf)
    {
        _rowStatements.Clear();
        _logger.TableApplyFailed(ex, table);
        Quarantine(schemaOf(table), ex.Message, null, inTransaction: false);
        return false;
    }

    /// <summary>
    /// Loads one table in its own DuckDB transaction with its floor (<paramref name="position"/>, the snapshot's log
    /// position), so later events apply exactly once. <paramref name="copyRows"/> copies the snapshot's rows into the
    /// session and returns how many; a value that does not fit quarantines the table. Returns the rows loaded.
    /// </summary>
    public long Load(TableSchema schema, long position, Func<DuckDbSession, long> copyRows)
    {
        var session = Session;
        var json = SchemaRegistryJson.SerializeTable(schema.Definition);
        _rowStatements.Forget(schema.Name);
        session.Execute("BEGIN TRANSACTION");
        try
        {
            // A quarantined table's mirror is gone (destructive) or set aside (temporal history): see Quarantine.
            var known = _tables.TryGetValue(schema.Name, out var existing);
            var present = known && (existing!.QuarantineReason is null || MirrorDdl.Restore(session, schema.Name));
            if (!present || existing!.SchemaJson != json)
            {
                MirrorDdl.Create(session, schema, _mode);
            }

            var rows = copyRows(session);
            var state = new MirrorTableState(schema.Name, position, json, null, null);
            MirrorState.WriteTable(session, state);
            session.Execute("COMMIT");
            _tables[schema.Name] = state;
            return rows;
        }
        catch (MirrorMisfitException misfit)
        {
            session.Execute("ROLLBACK");
            session.Execute("BEGIN TRANSACTION");
            MirrorDdl.Quarantine(session, schema.Name, _mode);
            var state = new MirrorTableState(schema.Name, position, json, misfit.Reason, misfit.OffendingKey);
            MirrorState.WriteTable(session, state);
            session.Execute("COMMIT");
            _tables[schema.Name] = state;
            _logger.TableQuarantined(schema.Name, misfit.Reason, misfit.OffendingKey);
            return 0;
        }
        catch
        {
            RollBackQuietly();
            throw;
        }
    }

    /// <summary>Creates an empty mirror table for a table registered without a load (nothing before its triggers belongs to it).</summary>
    public void Create(TableSchema schema)
    {
        var session = Session;
        var state = new MirrorTableState(schema.Name, 0, SchemaRegistryJson.SerializeTable(schema.Definition), null, null);
        _rowStatements.Forget(schema.Name);
        session.Execute("BEGIN TRANSACTION");
        MirrorDdl.Create(session, schema, _mode);
        MirrorState.WriteTable(session, state);
        session.Execute("COMMIT");
        _tables[schema.Name] = state;
    }

    /// <summary>Adds and drops mirror columns in one transaction, keeping the table's floor.</summary>
    public void Alter(TableSchema next, IReadOnlyList<RheiColumn> added, IReadOnlyList<string> dropped)
    {
        var session = Session;
        var updated = _tables[next.Name] with { SchemaJson = SchemaRegistryJson.SerializeTable(next.Definition) };
        _rowStatements.Forget(next.Name);
        session.Execute("BEGIN TRANSACTION");
        foreach (var column in added)
        {
            MirrorDdl.AddColumn(session, next.Name, column);
        }

        foreach (var column in dropped)
        {
            MirrorDdl.DropColumn(session, next.Name, column);
        }

        MirrorState.WriteTable(session, updated);
        session.Execute("COMMIT");
        _tables[next.Name] = updated;
    }

    /// <summary>Drops a table's mirror and its state row.</summary>
    public void Drop(string table)
    {
        var session = Session;
        _rowStatements.Forget(table);
        session.Execute("BEGIN TRANSACTION");
        MirrorDdl.Drop(session, table);
        MirrorState.DeleteTable(session, table);
        session.Execute("COMMIT");
        _tables.TryRemove(table, out _);
    }

    /// <summary>Drops every mirror table, its state and the stored position: the first half of a rebuild.</summary>
    public void DropAll()
    {
        var session = Session;
        _rowStatements.Clear();
        session.Execute("BEGIN TRANSACTION");
        try
        {
            MirrorState.DeleteWatermark(session);
            foreach (var state in MirrorState.ReadTables(session))
            {
                MirrorDdl.Drop(session, state.Table);
                MirrorState.DeleteTable(session, state.Table);
            }

            session.Execute("COMMIT");
        }
        catch
        {
            RollBackQuietly();
            throw;
        }

        _tables.Clear();
    }

    /// <summary>Stores the position a rebuild reached and the identity of the database it was built from (a durable mirror only).</summary>
    public void WritePosition(string consumerId, long position, long sourceDatabaseId)
    {
        if (!_storesPosition)
        {
            return;
        }

        var session = Session;
        session.Execute("BEGIN TRANSACTION");
        MirrorState.WriteWatermark(session, consumerId, position);
        MirrorState.WriteSourceDatabase(session, sourceDatabaseId);
        session.Execute("COMMIT");
    }

    /// <summary>Takes a table out of the mirror with the reason and the key at fault; its reads run on SQLite.</summary>
    public void Quarantine(TableSchema schema, string reason, string? key, bool inTransaction)
    {
        var table = schema.Name;
        var existing = _tables.GetValueOrDefault(table);
        var state = new MirrorTableState(schema.Name, existing?.Floor ?? 0, existing?.SchemaJson ?? SchemaRegistryJson.SerializeTable(schema.Definition), reason, key);
        _logger.TableQuarantined(table, reason, key);
        // The mirror's rows stop at the last batch that fitted: stale from here on. Taking the table away makes
        // sure no read can still get them (a plan made before the quarantine, a hint that skips routing): DuckDB
        // fails on the missing table and the read falls back to SQLite, which has every row.
        var session = Session;
        _rowStatements.Forget(table);
        if (inTransaction)
        {
            MirrorDdl.Quarantine(session, table, _mode);
            MirrorState.WriteTable(session, state);
            _pendingQuarantine[table] = state;
            return;
        }

        session.Execute("BEGIN TRANSACTION");
        MirrorDdl.Quarantine(session, table, _mode);
        MirrorState.WriteTable(session, state);
        session.Execute("COMMIT");
        _tables[table] = state;
    }

    /// <summary>Rows in a table's mirror (current rows only in temporal mode); throws what DuckDB throws.</summary>
    public long CountRows(TableSchema schema)
    {
        var filter = _mode == RheiSyncMode.Temporal ? $" WHERE {MirrorDdl.ValidTo} IS NULL" : string.Empty;
        using var reader = Session.Query($"SELECT count(*) FROM {schema.QuotedName}{filter}");
        return reader.Read() ? reader.GetInt64(0) : 0;
    }

    public void Dispose()
    {
        // The statements first: each holds the connection's context.
        _rowStatements.Dispose();
        _session?.Dispose();
    }

    private void RollBackQuietly()
    {
        try
        {
            _session?.Execute("ROLLBACK");
        }
        catch (DuckDbException ex)
        {
            _logger.CleanupFailed(ex, "roll back the mirror transaction");
        }
    }
}
