using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

internal sealed partial class ReplicationEngine
{
    /// <summary>
    /// Drains the change log: per batch, read (one SQLite snapshot) → compact → apply with the new
    /// watermark (one DuckDB transaction) → record the consumer position → prune. Caller holds the lock.
    /// </summary>
    private RheiSyncResult RunCycle(ISet<string> tablesApplied, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = Stopwatch.GetTimestamp();
        long events = 0, inserted = 0, updated = 0, deleted = 0, pruned = 0;
        var sqlite = Sqlite;
        var session = Session;
        // The cycle drains the log up to where it stood when the cycle began. Draining "until empty" never
        // ends while writers commit faster than the mirror applies, and Strong reads waiting on the cycle
        // (EnsureFreshAsync holds the same lock) would wait forever: seen in the HTAP benchmark.
        if (CheckSource(ct))
        {
            _freshness.MarkFresh(started);
            return new RheiSyncResult(0, 0, 0, 0, _options.PruneAfterSync ? 0 : null, Stopwatch.GetElapsedTime(started));
        }

        var upTo = ReplicationTables.MaxSequence(sqlite);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var batch = CdcLogReader.Read(
                sqlite,
                Watermark,
                _options.SyncBatchSize,
                name => _registry.Find(name) is { } schema && !IsQuarantined(name) ? schema : null,
                name => _tableStates.TryGetValue(name, out var state) ? state.Floor : 0,
                _options.SyncMode);

            if (batch.RegistryVersion != _registry.Version)
            {
                // Another process changed the registry: adopt it before applying anything, so no
                // event of a newly registered table is skipped as unknown.
                LoadRegistry();
                EnsureMirrors(ct);
                continue;
            }

            if (RebuildOnGap(batch, ct))
            {
                break;
            }

            if (batch.EventCount == 0)
            {
                break;
            }

            if (!ApplyBatch(batch))
            {
                // A table failed inside DuckDB and is quarantined now; read the batch again without it.
                continue;
            }

            SetWatermark(batch.ToInclusive);
            events += batch.EventCount;
            foreach (var changes in batch.Tables.Values.Where(c => c.QuarantineReason is null))
            {
                tablesApplied.Add(changes.Schema.Name);
                inserted += changes.Inserted;
                updated += changes.Updated;
                deleted += changes.Deleted;
            }

            FaultInjector?.Invoke("after-apply");
            ConsumerRegistry.Upsert(sqlite, _consumerId, Watermark);
            FaultInjector?.Invoke("before-prune");
            if (_options.PruneAfterSync)
            {
                pruned += CdcLogPruner.Prune(sqlite, Watermark, ConsumerTimeout);
            }

            if (batch.EventCount < _options.SyncBatchSize || Watermark >= upTo)
            {
                break;
            }
        }

        if (events == 0)
        {
            // Heartbeat even when idle, so other processes keep counting this consumer as live.
            ConsumerRegistry.Upsert(sqlite, _consumerId, Watermark);
        }

        // Every change committed before this cycle began is now in the mirror.
        _freshness.MarkFresh(started);
        return new RheiSyncResult(events, inserted, updated, deleted, _options.PruneAfterSync ? pruned : null, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Applies a batch in one DuckDB transaction; false when a table had to be quarantined instead.</summary>
    private bool ApplyBatch(ChangeBatch batch)
    {
        var session = Session;
        TableChanges? current = null;
        session.Execute("BEGIN TRANSACTION");
        try
        {
            foreach (var changes in batch.Tables.Values)
            {
                current = changes;
                if (changes.QuarantineReason is not null)
                {
                    Quarantine(changes.Schema.Name, changes.QuarantineReason, changes.OffendingKey, inTransaction: true);
                }
                else
                {
                    MirrorApplier.Apply(session, changes, _options.SyncMode);
                }
            }

            current = null;
            ApplyFaultInjector?.Invoke("apply");
            MirrorState.WriteWatermark(session, _consumerId, batch.ToInclusive);
            session.Execute("COMMIT");
            foreach (var changes in batch.Tables.Values.Where(c => c.QuarantineReason is not null))
            {
                _tableStates[changes.Schema.Name] = _pendingQuarantine[changes.Schema.Name];
            }

            _pendingQuarantine.Clear();
            return true;
        }
        catch (DuckDbException ex) when (current is not null && !MirrorFaults.IsEnvironmental(ex))
        {
            session.Execute("ROLLBACK");
            _pendingQuarantine.Clear();
            _logger.LogError(ex, "Applying changes to the mirror of '{Table}' failed; the table is quarantined.", current.Schema.Name);
            Quarantine(current.Schema.Name, ex.Message, null, inTransaction: false);
            return false;
        }
        catch
        {
            TryLogged(() => session.Execute("ROLLBACK"), "roll back the mirror transaction");
            _pendingQuarantine.Clear();
            throw;
        }
    }

    private readonly Dictionary<string, MirrorTableState> _pendingQuarantine = new(StringComparer.OrdinalIgnoreCase);

    private void Quarantine(string table, string reason, string? key, bool inTransaction)
    {
        var schema = _registry.Get(table);
        var floor = _tableStates.TryGetValue(table, out var existing) ? existing.Floor : 0;
        var state = new MirrorTableState(schema.Name, floor, existing?.SchemaJson ?? SchemaRegistryJson.SerializeTable(schema.Definition), reason, key);
        _logger.LogWarning("Table '{Table}' is quarantined: {Reason} Key {Key}. Its queries run on SQLite until it is repaired and synced again.", table, reason, key);
        // The mirror's rows stop at the last batch that fitted: stale from here on. Taking the table away makes
        // sure no read can still get them (a plan made before the quarantine, a hint that skips routing): DuckDB
        // fails on the missing table and the read falls back to SQLite, which has every row.
        if (inTransaction)
        {
            MirrorDdl.Quarantine(Session, table, _options.SyncMode);
            MirrorState.WriteTable(Session, state);
            _pendingQuarantine[table] = state;
            return;
        }

        Session.Execute("BEGIN TRANSACTION");
        MirrorDdl.Quarantine(Session, table, _options.SyncMode);
        MirrorState.WriteTable(Session, state);
        Session.Execute("COMMIT");
        _tableStates[table] = state;
    }

    /// <summary>
    /// Full load of tables from one SQLite read snapshot; each table commits in its own DuckDB
    /// transaction with its floor (the snapshot's log position), so later events apply exactly once.
    /// Returns that log position.
    /// </summary>
    private long LoadTables(IEnumerable<TableSchema> tables, IProgress<long>? progress, CancellationToken ct, Action<long>? counted = null)
    {
        var sqlite = Sqlite;
        var session = Session;
        using var transaction = sqlite.BeginTransaction(deferred: true);
        var position = ReplicationTables.MaxSequence(sqlite, transaction);
        FaultInjector?.Invoke("after-snapshot");
        long before = 0;
        foreach (var schema in tables)
        {
            var json = SchemaRegistryJson.SerializeTable(schema.Definition);
            session.Execute("BEGIN TRANSACTION");
            try
            {
                // A quarantined table's mirror is gone (destructive) or set aside (temporal history): see Quarantine.
                var known = _tableStates.TryGetValue(schema.Name, out var existing);
                var present = known && (existing!.QuarantineReason is null || MirrorDdl.Restore(session, schema.Name));
                if (!present || existing!.SchemaJson != json)
                {
                    MirrorDdl.Create(session, schema, _options.SyncMode);
                }

                var offset = before;
                var rows = MirrorLoader.Load(session, sqlite, transaction, schema, _options.SyncMode, progress is null ? null : n => progress.Report(offset + n), ct);
                var state = new MirrorTableState(schema.Name, position, json, null, null);
                MirrorState.WriteTable(session, state);
                session.Execute("COMMIT");
                _tableStates[schema.Name] = state;
                before += rows;
                counted?.Invoke(rows);
            }
            catch (MirrorMisfitException misfit)
            {
                session.Execute("ROLLBACK");
                session.Execute("BEGIN TRANSACTION");
                MirrorDdl.Quarantine(session, schema.Name, _options.SyncMode);
                var state = new MirrorTableState(schema.Name, position, json, misfit.Reason, misfit.OffendingKey);
                MirrorState.WriteTable(session, state);
                session.Execute("COMMIT");
                _tableStates[schema.Name] = state;
                _logger.LogWarning("Table '{Table}' is quarantined: {Reason} Key {Key}.", schema.Name, misfit.Reason, misfit.OffendingKey);
            }
            catch
            {
                TryLogged(() => session.Execute("ROLLBACK"), "roll back the mirror transaction");
                throw;
            }
        }

        transaction.Commit();
        return position;
    }

    /// <summary>Makes the mirror match the registry: drops mirrors of unregistered tables, (re)loads missing or reshaped ones.</summary>
    private void EnsureMirrors(CancellationToken ct)
    {
        foreach (var state in _tableStates.Values.ToArray())
        {
            if (_registry.Find(state.Table) is null)
            {
                Session.Execute("BEGIN TRANSACTION");
                MirrorDdl.Drop(Session, state.Table);
                MirrorState.DeleteTable(Session, state.Table);
                Session.Execute("COMMIT");
                _tableStates.TryRemove(state.Table, out _);
            }
        }

        var stale = _registry.Tables
            .Where(t => !_tableStates.TryGetValue(t.Name, out var s) || s.SchemaJson != SchemaRegistryJson.SerializeTable(t.Definition))
            .ToArray();
        if (stale.Length > 0)
        {
            LoadTables(stale, null, ct);
        }
    }
}
