using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Rhei.Data.Diagnostics;
using Rhei.Data.Olap;

namespace Rhei.Data.Sync;

// When the mirror cannot take changes (its disk is full, its file is damaged, DuckDB fails), SQLite keeps
// every change: the watermark only moves with a committed apply. Reads go to SQLite meanwhile (the
// router sees the engine as unavailable), status says why, and cycles are retried with a bounded backoff
// until one succeeds, which lifts the fault by itself.
internal sealed partial class LocalReplicator
{
    /// <summary>Why the mirror cannot take changes right now (reads go to SQLite), or null when it can.</summary>
    public string? MirrorFault => _mirror.Health.Fault;

    /// <summary>Test hook: called with "apply" inside the mirror transaction of a batch; throw a DuckDB error to simulate a failing disk.</summary>
    internal Action<string>? ApplyFaultInjector
    {
        get => _mirror.ApplyFaultInjector;
        set => _mirror.ApplyFaultInjector = value;
    }

    /// <summary>One cycle (the pipeline holds the lock) with engine errors turned into <see cref="RheiException"/> and recorded as a fault.</summary>
    private RheiSyncResult RunCycleGuarded(SyncCycleTrigger trigger, ISet<string> tablesApplied, CancellationToken ct)
    {
        try
        {
            if (_mirror.Health.Damage is { } damage)
            {
                RebuildAll($"the mirror file is damaged ({damage})", warn: true, ct);
                _mirror.Health.Repaired();
            }

            var result = RunCycle(trigger, tablesApplied, ct);
            ClearFault();
            return result;
        }
        catch (DuckDbException ex)
        {
            SetFault(ex);
            throw Public(ex, "apply changes to the mirror");
        }
        catch (SqliteException ex)
        {
            throw Public(ex, "read the change log");
        }
    }

    /// <summary>
    /// Told by a read that DuckDB failed. A damaged block (a checksum that does not match: the file opened, but
    /// part of it cannot be read) makes the mirror unavailable at once and has the next cycle rebuild it from
    /// SQLite; any other read error is the statement's own and changes nothing here.
    /// </summary>
    public void ReportReadFailure(Exception? error)
    {
        if (error is DuckDbException ex && MirrorFaults.IsDamage(ex))
        {
            SetFault(ex);
        }
    }

    private void SetFault(DuckDbException ex)
    {
        if (_mirror.Health.RecordFailure(ex))
        {
            _logger.MirrorUnavailable(ex);
        }

        _pipeline.StartRecovery();
    }

    private void ClearFault()
    {
        if (_mirror.Health.Recovered())
        {
            _logger.MirrorAvailable();
        }

        _pipeline.EndRecovery();
    }

    /// <summary>An engine error as users see it: the public exception, naming the engine and what was being done, the original inside.</summary>
    internal static RheiException Public(Exception ex, string operation) => ex switch
    {
        RheiException rhei => rhei,
        DuckDbException duck => new RheiException($"DuckDB failed to {operation}: {duck.Message} (engine: DuckDB)", RheiException.DuckDbEngineName, duck.DuckDbErrorType ?? 0, duck),
        SqliteException sqlite => new RheiException($"SQLite failed to {operation}: {sqlite.Message} (engine: SQLite)", RheiException.SqliteEngineName, sqlite.SqliteExtendedErrorCode, sqlite),
        _ => RheiException.Provider($"Rhei.Data failed to {operation}: {ex.Message}", ex),
    };
}
