using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Olap;
using Rhei.Data.Oltp;
using Rhei.Data.Schema;

namespace Rhei.Data.Sync;

internal sealed partial class LocalReplicator
{
    // The longest loop interval a Strong read's catch-up leaves the consumer position and the prune to, and without a
    // loop, how long it leaves them after the last position written.
    private static readonly TimeSpan s_deferredBookkeepingInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Drains the change log: per batch, read (one SQLite snapshot) → compact → apply with the new
    /// watermark (one DuckDB transaction, after which waiting Strong readers go ahead); then, once per cycle,
    /// record the consumer position → prune. A Strong read's catch-up leaves those two SQLite writes to a later cycle
    /// (see <see cref="DefersBookkeeping"/>). Caller holds the lock.
    /// </summary>
    private RheiSyncResult RunCycle(SyncCycleTrigger trigger, ISet<string> tablesApplied, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = Stopwatch.GetTimestamp();
        long events = 0, inserted = 0, updated = 0, deleted = 0, pruned = 0;
        var checks = ApplyPhaseTimes.Start();
        // The cycle drains the log up to where it stood when the cycle began. Draining "until empty" never
        // ends while writers commit faster than the mirror applies, and Strong reads waiting on the cycle
        // (EnsureFreshAsync holds the same lock) would wait forever: seen in the HTAP benchmark.
        if (CheckSource(ct))
        {
            Freshness.MarkFresh(started);
            return new RheiSyncResult(0, 0, 0, 0, _options.PruneAfterSync ? 0 : null, Stopwatch.GetElapsedTime(started));
        }

        var source = Source;
        var upTo = source.LatestPosition();
        ApplyPhaseTimes.Stop(ApplyPhase.CycleChecks, checks);
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var batch = source.ReadAfter(
                Watermark,
                _options.SyncBatchSize,
                name => _registry.Find(name) is { } schema && !IsQuarantined(name) ? schema : null,
                _mirror.Floor);

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

            if (!_mirror.Apply(batch, _consumerId, _registry.Get))
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
            // The DuckDB transaction holding this batch and its watermark has committed: Strong readers waiting for a
            // position it covers read now; the SQLite bookkeeping after the last batch is off their path.
            _pipeline.NoteApplied();
            if (batch.EventCount < _options.SyncBatchSize || Watermark >= upTo)
            {
                break;
            }
        }

        // Once per cycle, after every batch: the consumer position (a crash before it repeats nothing, because the
        // mirror's own stored watermark is where a durable mirror resumes), then one prune up to it. An idle cycle
        // only writes the position as a heartbeat when one is due, so that other processes keep counting this consumer
        // as live without a SQLite commit every interval.
        var position = Watermark;
        if (DefersBookkeeping(trigger))
        {
            _prunePending |= events > 0;
            Freshness.MarkFresh(started);
            return new RheiSyncResult(events, inserted, updated, deleted, _options.PruneAfterSync ? 0 : null, Stopwatch.GetElapsedTime(started));
        }

        if (position != _acknowledgedPosition || HeartbeatDue())
        {
            FaultInjector?.Invoke("before-acknowledge");
            source.Acknowledge(_consumerId, position);
            _acknowledgedPosition = position;
            _acknowledgedAt = Stopwatch.GetTimestamp();
        }

        if (events > 0 || _prunePending)
        {
            _prunePending = false;
            FaultInjector?.Invoke("before-prune");
            if (_options.PruneAfterSync)
            {
                pruned = source.Prune(position, ConsumerTimeout);
            }
        }

        // Every change committed before this cycle began is now in the mirror.
        Freshness.MarkFresh(started);
        return new RheiSyncResult(events, inserted, updated, deleted, _options.PruneAfterSync ? pruned : null, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Whether this cycle leaves the consumer position and the prune to a later one. A Strong read's catch-up does while a
    /// background loop runs at an interval of a second or less (its next cycle writes them); without a loop it does until
    /// the last position written is a second old, so the next catch-up or sync after that writes them. No heartbeat may
    /// be due. Those two SQLite commits are then off the path of the read that is waiting (they ran beside its query on
    /// the cores: bench freshness, loop off, 0.3–0.7 ms of its extra) and of the next Strong read, which would otherwise
    /// queue behind them for the lock. Nothing is lost by waiting: the position only holds the log back longer, a
    /// durable mirror resumes from the watermark stored with its rows, and an explicit sync always writes them.
    /// A background cycle defers them too while a Strong read waits (see <see cref="BookkeepingOverdue"/>): with the loop
    /// on, the read right after a write paid 0.2–0.6 ms more than with it off (bench freshness), and 0–0.15 ms after.
    /// </summary>
    private bool DefersBookkeeping(SyncCycleTrigger trigger)
        => !HeartbeatDue() && trigger switch
        {
            SyncCycleTrigger.Freshness => _pipeline.LoopInterval is { } interval ? interval <= s_deferredBookkeepingInterval : !BookkeepingOverdue(),
            SyncCycleTrigger.Background => _pipeline.ReadersWaiting && !BookkeepingOverdue() && _pipeline.LoopInterval <= s_deferredBookkeepingInterval,
            _ => false,
        };

    /// <summary>
    /// A background cycle also leaves the bookkeeping to a later one while a Strong read waits (its query would share the
    /// cores with those two SQLite commits), but not once the last position written is a deferral interval old: under
    /// reads that never stop, the log is still pruned about once a second.
    /// </summary>
    private bool BookkeepingOverdue()
        => Stopwatch.GetElapsedTime(_acknowledgedAt) >= s_deferredBookkeepingInterval;

    /// <summary>True when the last consumer position written is a quarter of the consumer timeout old (or none was written).</summary>
    private bool HeartbeatDue()
        => _acknowledgedAt == 0 || Stopwatch.GetElapsedTime(_acknowledgedAt) >= ConsumerTimeout / 4;

    /// <summary>
    /// Full load of tables from one snapshot of the change source; each table commits in its own DuckDB
    /// transaction with its floor (the snapshot's position), so later events apply exactly once.
    /// Returns that position.
    /// </summary>
    private long LoadTables(IEnumerable<TableSchema> tables, IProgress<long>? progress, CancellationToken ct, Action<long>? counted = null)
    {
        using var snapshot = Source.OpenSnapshot();
        var position = snapshot.Position;
        FaultInjector?.Invoke("after-snapshot");
        long before = 0;
        foreach (var schema in tables)
        {
            var offset = before;
            var rows = SyncTelemetry.TraceInitialSync(schema.Name, _options.DiagnosticsName, () => _mirror.Load(
                schema,
                position,
                target => snapshot.CopyTable(target, schema, progress is null ? null : n => progress.Report(offset + n), ct)));
            if (_mirror.Find(schema.Name) is { QuarantineReason: null })
            {
                before += rows;
                counted?.Invoke(rows);
            }
        }

        snapshot.Complete();
        return position;
    }

    /// <summary>Makes the mirror match the registry: drops mirrors of unregistered tables, (re)loads missing or reshaped ones.</summary>
    private void EnsureMirrors(CancellationToken ct)
    {
        foreach (var state in _mirror.Tables.ToArray())
        {
            if (_registry.Find(state.Table) is null)
            {
                _mirror.Drop(state.Table);
            }
        }

        var stale = _registry.Tables
            .Where(t => _mirror.Find(t.Name) is not { } s || s.SchemaJson != SchemaRegistryJson.SerializeTable(t.Definition))
            .ToArray();
        if (stale.Length > 0)
        {
            LoadTables(stale, null, ct);
        }
    }
}
